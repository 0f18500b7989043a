import { describe, expect, it } from "vitest";
import { cloudflareKvConfigFromEnv } from "../../../../origin/release/publish/cloudflare-kv-env.ts";
import { cloudflareApiBaseUrl } from "../../../../origin/release/publish/cloudflare-kv-writer.ts";

/** The account and token every publish to Cloudflare needs, whichever namespaces it writes. */
const account = { CLOUDFLARE_ACCOUNT_ID: "acct", CLOUDFLARE_API_TOKEN: "token" };

describe("Cloudflare publish settings from the environment", () => {
  it("gives each namespace its id and shares the account, token and default base URL", () => {
    const configs = cloudflareKvConfigFromEnv({
      ...account,
      CF_KV_MODELS_NAMESPACE_ID: "models-id",
      CF_KV_FEATURES_NAMESPACE_ID: "features-id",
    });
    expect(configs.models).toEqual({
      accountId: "acct",
      apiToken: "token",
      baseUrl: cloudflareApiBaseUrl,
      namespaceId: "models-id",
    });
    expect(configs.features.namespaceId).toBe("features-id");
  });

  it("takes the API base URL from CLOUDFLARE_API_BASE_URL without a trailing slash", () => {
    const configs = cloudflareKvConfigFromEnv({
      ...account,
      CF_KV_MODELS_NAMESPACE_ID: "m",
      CF_KV_FEATURES_NAMESPACE_ID: "f",
      CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:8787/client/v4/",
    });
    expect(configs.features.baseUrl).toBe("http://127.0.0.1:8787/client/v4");
  });

  it("names every missing variable in one error", () => {
    expect(() => cloudflareKvConfigFromEnv({ CLOUDFLARE_ACCOUNT_ID: "acct" })).toThrow(
      /CLOUDFLARE_API_TOKEN, CF_KV_MODELS_NAMESPACE_ID, CF_KV_FEATURES_NAMESPACE_ID/,
    );
  });
});
