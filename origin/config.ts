/**
 * The origin's configuration: environment variables, parsed by one schema. Every key is documented here
 * with its default; README's configuration table is written from this file.
 */
import { z } from "zod";

const MiB = 1024 * 1024;

/** "true"/"false"/"1"/"0"/"yes"/"no": z.coerce.boolean would read "false" as true. */
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const positiveInt = z.coerce.number().int().positive();

export const OriginConfig = z.object({
  /** TCP port of the origin's HTTP server. Default 8080. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** Address to bind. Default 127.0.0.1; 0.0.0.0 serves other hosts. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * Event store backend: `pglite` (embedded, in PGLITE_DIR), `postgres` (node-postgres on DATABASE_URL) or
   * `neon` (the Neon serverless driver on DATABASE_URL). Default: `postgres` when DATABASE_URL is set,
   * else `pglite`.
   */
  EVENT_STORE: z.enum(["pglite", "postgres", "neon"]).optional(),
  /** Postgres connection string for the postgres and neon backends. Default: unset. */
  DATABASE_URL: z.string().min(1).optional(),
  /** Directory of the embedded PGlite database (created if missing). Default `.edgewise/pglite`. */
  PGLITE_DIR: z.string().min(1).default(".edgewise/pglite"),
  /**
   * WebSocket proxy for the neon backend in front of a non-Neon Postgres, as `host:port/path` (for example
   * a neon-local-relay at `127.0.0.1:4444/v2`); the driver then speaks plain ws://. Default: unset
   * (production Neon).
   */
  NEON_WS_PROXY: z.string().min(1).optional(),
  /** How batches enter Postgres: `copy` (COPY FROM STDIN) or `insert` (multi-row INSERT). Default `copy`. */
  STORE_BULK_MODE: z.enum(["copy", "insert"]).default("copy"),
  /** Connections in the postgres/neon pool. Default 10. */
  DB_POOL_MAX: positiveInt.default(10),
  /** Apply pending migrations when the server starts. Default true. */
  MIGRATE_ON_START: flag.default(true),
  /**
   * MongoDB connection string for raw payloads and item documents. Default: unset, which keeps them in
   * JSONB tables of the event store's database.
   */
  MONGODB_URL: z.string().min(1).optional(),
  /** MongoDB database name. Default `edgewise`. */
  MONGODB_DATABASE: z.string().min(1).default("edgewise"),
  /**
   * The key clients send to POST /v1/events/batch (as `Authorization: Bearer <key>` or `X-API-Key`),
   * at least 16 characters. Default: unset, and `edgewise serve` refuses to start without it.
   */
  INGEST_API_KEY: z.string().min(16, "INGEST_API_KEY must be at least 16 characters").optional(),
  /** Largest request body accepted, as sent (compressed or not); larger gets 413. Default 8 MiB. */
  INGEST_MAX_BODY_BYTES: positiveInt.default(8 * MiB),
  /** Largest body after gzip decompression; larger gets 413 (gzip bombs stop here). Default 32 MiB. */
  INGEST_MAX_DECOMPRESSED_BYTES: positiveInt.default(32 * MiB),
  /** Most records in one batch; more gets 413. Default 10,000. */
  INGEST_MAX_EVENTS_PER_BATCH: positiveInt.default(10_000),
});
export type OriginConfig = z.infer<typeof OriginConfig>;

/** Parses the environment; throws one error that names every bad variable. Empty values count as unset. */
export function loadOriginConfig(env: Record<string, string | undefined> = process.env): OriginConfig {
  const present = Object.fromEntries(
    Object.keys(OriginConfig.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === "" ? [] : [[key, value]];
    }),
  );
  const parsed = OriginConfig.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid origin configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

/** The event store backend the configuration selects. */
export function eventStoreBackend(config: OriginConfig): "pglite" | "postgres" | "neon" {
  return config.EVENT_STORE ?? (config.DATABASE_URL === undefined ? "pglite" : "postgres");
}
