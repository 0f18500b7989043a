import { describe, expect, it } from "vitest";
import {
  BehaviourTargetSpec,
  describeBehaviourTarget,
  parseBehaviourTarget,
} from "../../../models/contracts/index.ts";
import { attributeLabel } from "../../../origin/train/behaviour/index.ts";

describe("behaviour target spec", () => {
  it("reads an event type within a horizon and a user attribute with or without positive values", () => {
    expect(parseBehaviourTarget("event:purchase:7d")).toEqual({
      kind: "event",
      type: "purchase",
      horizonDays: 7,
    });
    expect(parseBehaviourTarget(" event:add_to_cart:30d ")).toEqual({
      kind: "event",
      type: "add_to_cart",
      horizonDays: 30,
    });
    expect(parseBehaviourTarget("attribute:churned")).toEqual({
      kind: "attribute",
      name: "churned",
      positive: null,
    });
    expect(parseBehaviourTarget("attribute:plan=Premium, gold")).toEqual({
      kind: "attribute",
      name: "plan",
      positive: ["premium", "gold"],
    });
    expect(describeBehaviourTarget(parseBehaviourTarget("event:click:1d"))).toBe("click within 1 day");
  });

  it("refuses what it cannot read with a message that shows the forms", () => {
    for (const [spec, message] of [
      ["event:buy:7d", /unknown event type 'buy'; one of view, click/],
      ["event:purchase:0d", /at least 1 day/],
      ["event:purchase:7", /is not event:TYPE:Nd/],
      ["attribute:plan=a,,b", /empty value/],
      ["churned", /attribute:NAME/],
    ] as const) {
      expect(() => parseBehaviourTarget(spec), spec).toThrow(message);
      expect(BehaviourTargetSpec.safeParse(spec).success).toBe(false);
    }
  });

  it("labels a user by the attribute: true/yes/1 or the listed values positive, absent values unlabelled", () => {
    const churned = parseBehaviourTarget("attribute:churned");
    if (churned.kind !== "attribute") {
      throw new Error("expected an attribute target");
    }
    expect([true, "Yes", "y", 1, "1", "TRUE"].map((v) => attributeLabel(churned, v))).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
    expect([false, "no", 0, "N"].map((v) => attributeLabel(churned, v))).toEqual([0, 0, 0, 0]);
    expect([undefined, null, "", "maybe", 2, ["yes"]].map((v) => attributeLabel(churned, v))).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const plan = parseBehaviourTarget("attribute:plan=premium,gold");
    if (plan.kind !== "attribute") {
      throw new Error("expected an attribute target");
    }
    expect(["Premium", "gold", "basic", 3].map((v) => attributeLabel(plan, v))).toEqual([1, 1, 0, 0]);
  });
});
