import { z } from "zod";
import type { Env } from "./env.ts";

/** Worker settings from wrangler.toml [vars] (all strings there), with their defaults. */
const Settings = z.object({
  MANIFEST_TTL_SECONDS: z.coerce.number().min(0).default(30),
  FEATURE_TTL_SECONDS: z.coerce.number().min(0).default(60),
  FEATURE_CACHE_MAX_USERS: z.coerce.number().int().min(1).default(10_000),
  /** Comma-separated browser origins allowed by CORS; empty sends no CORS headers. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((list) =>
      list
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    ),
  /**
   * How long a request body may take to arrive, from the handler's first read to its last byte; a
   * slower one (a client trickling it) is cut off with 408.
   */
  BODY_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
  /** "false" turns API-key checks off (local development only). */
  REQUIRE_API_KEY: z.enum(["true", "false"]).default("true"),
  /** The origin's base URL (its batch endpoints are ORIGIN_BATCH_PATHS under it); empty: not set. */
  ORIGIN_URL: z
    .union([z.literal(""), z.url({ protocol: /^https?$/, message: "ORIGIN_URL must be an http(s) URL" })])
    .default(""),
  /** Deprecated (use ORIGIN_URL): the origin's …/v1/events/batch, used only while ORIGIN_URL is empty. */
  ORIGIN_INGEST_URL: z
    .union([
      z.literal(""),
      z.url({ protocol: /^https?$/, message: "ORIGIN_INGEST_URL must be an http(s) URL" }),
    ])
    .default(""),
  /** The origin's INGEST_API_KEY, a secret; empty: not set. */
  ORIGIN_INGEST_KEY: z.string().default(""),
  /** First retry delay of a queued event the origin could not take; it doubles per attempt, up to an hour. */
  EVENTS_RETRY_BASE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(10),
});
export type Settings = z.infer<typeof Settings>;

/** Thrown for every request while a [vars] value is invalid: the message names the setting. */
export class InvalidSettingsError extends Error {}

const parsed = new WeakMap<object, Settings>();

/**
 * Parses the settings once per env object. A bad value throws: a misconfigured Worker should
 * fail every request loudly rather than run on a silent default.
 */
export function settings(env: Env): Settings {
  let result = parsed.get(env);
  if (!result) {
    const parse = Settings.safeParse(env);
    if (!parse.success) {
      throw new InvalidSettingsError(`invalid Worker configuration: ${z.prettifyError(parse.error)}`);
    }
    result = parse.data;
    parsed.set(env, result);
  }
  return result;
}
