import type { Env } from "./env.ts";

const defaultManifestTtlSeconds = 30;

/** MANIFEST_TTL_SECONDS, or the default when unset or not a non-negative number. */
export function manifestTtlSeconds(env: Env): number {
  const parsed = Number(env.MANIFEST_TTL_SECONDS);
  return env.MANIFEST_TTL_SECONDS !== undefined && Number.isFinite(parsed) && parsed >= 0
    ? parsed
    : defaultManifestTtlSeconds;
}
