/** The published policy bundle (the `bandit` artifact) and the policy ids decisions log. */
import { describe, expect, it } from "vitest";
import {
  BanditConfig,
  banditPolicyId,
  banditPolicyToFile,
  createBanditPolicy,
  decodePolicyBundle,
  encodePolicyBundle,
  enginePolicyId,
  isBanditPolicyOf,
} from "../../../models/bandit/index.ts";

const file = (id: string, surface: string) =>
  banditPolicyToFile(createBanditPolicy({ id, version: "v1", surface, config: BanditConfig.parse({}) }));

describe("the policy bundle", () => {
  it("round-trips every policy file by id", () => {
    const files = [file("home", "home"), file("home.arm-b", "home")];
    expect(decodePolicyBundle(encodePolicyBundle(files)).policies).toEqual({
      home: files[0],
      "home.arm-b": files[1],
    });
  });

  it("refuses a policy stored under another id, and bytes that are not a bundle", () => {
    const bundle = JSON.parse(new TextDecoder().decode(encodePolicyBundle([file("home", "home")])));
    bundle.policies.cart = bundle.policies.home;
    expect(() => decodePolicyBundle(new TextEncoder().encode(JSON.stringify(bundle)))).toThrow();
    expect(() => decodePolicyBundle(new TextEncoder().encode("{"))).toThrow();
  });
});

describe("policy ids", () => {
  it("names a surface's bandit, its arms' bandits and its decision engine apart", () => {
    expect(banditPolicyId("home", null)).toBe("home");
    expect(banditPolicyId("home", "b")).toBe("home.b");
    expect(enginePolicyId("home", "b")).toBe("engine:home.b");
    expect(isBanditPolicyOf("home", "home")).toBe(true);
    expect(isBanditPolicyOf("home.b", "home")).toBe(true);
    expect(isBanditPolicyOf("engine:home", "home")).toBe(false);
    expect(isBanditPolicyOf("homepage", "home")).toBe(false);
    expect(isBanditPolicyOf("home.", "home")).toBe(false);
    expect(isBanditPolicyOf("cart", "home")).toBe(false);
  });
});
