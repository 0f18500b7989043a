/**
 * The production publish targets from environment variables:
 *
 *   CLOUDFLARE_ACCOUNT_ID         (required) the account that owns the namespaces (dashboard → Workers).
 *   CLOUDFLARE_API_TOKEN          (required) an API token with "Workers KV Storage: Edit"; the same
 *                                 variables wrangler reads, so one token serves deploy and publish.
 *   CF_KV_MODELS_NAMESPACE_ID     (required) the id bound as MODELS in wrangler.toml (models, manifests).
 *   CF_KV_FEATURES_NAMESPACE_ID   (required) the id bound as FEATURES in wrangler.toml (user features).
 *   CLOUDFLARE_API_BASE_URL       (optional) default https://api.cloudflare.com/client/v4; wrangler
 *                                 honours the same variable.
 */
import { z } from "zod";
import { ConfigError } from "../../config.ts";
import {
  type CloudflareKvConfig,
  cloudflareApiBaseUrl,
  createCloudflareKvWriter,
} from "./cloudflare-kv-writer.ts";
import type { PublishTargets } from "./kv-writer.ts";

const PublishEnv = z.object({
  CLOUDFLARE_ACCOUNT_ID: z.string().min(1),
  CLOUDFLARE_API_TOKEN: z.string().min(1),
  CF_KV_MODELS_NAMESPACE_ID: z.string().min(1),
  CF_KV_FEATURES_NAMESPACE_ID: z.string().min(1),
  CLOUDFLARE_API_BASE_URL: z.url().default(cloudflareApiBaseUrl),
});

export interface CloudflareKvConfigs {
  models: CloudflareKvConfig;
  features: CloudflareKvConfig;
}

/** Reads the variables above; throws one error that names every missing or invalid variable. */
export function cloudflareKvConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): CloudflareKvConfigs {
  const parsed = PublishEnv.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    throw new ConfigError(
      `publishing to Cloudflare needs ${names.join(", ")} (missing or invalid); see origin/release/publish/cloudflare-kv-env.ts`,
    );
  }
  const common = {
    accountId: parsed.data.CLOUDFLARE_ACCOUNT_ID,
    apiToken: parsed.data.CLOUDFLARE_API_TOKEN,
    baseUrl: parsed.data.CLOUDFLARE_API_BASE_URL.replace(/\/+$/, ""),
  };
  return {
    models: { ...common, namespaceId: parsed.data.CF_KV_MODELS_NAMESPACE_ID },
    features: { ...common, namespaceId: parsed.data.CF_KV_FEATURES_NAMESPACE_ID },
  };
}

/** The MODELS and FEATURES writers over the Cloudflare API, configured from the environment. */
export function cloudflareKvTargetsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PublishTargets {
  const configs = cloudflareKvConfigFromEnv(env);
  return {
    models: createCloudflareKvWriter(configs.models),
    features: createCloudflareKvWriter(configs.features),
  };
}
