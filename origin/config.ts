/**
 * The origin's configuration: environment variables, parsed by one schema. Every key is documented here
 * with its default; README's configuration table is written from this file.
 */
import path from "node:path";
import { z } from "zod";
import {
  BehaviourTargetSpec,
  DEFAULT_BEHAVIOUR_TARGET,
  DEFAULT_VALUE_RANGES,
  type ImageUrlRules,
  type ValueRanges,
} from "../models/contracts/index.ts";

const MiB = 1024 * 1024;

/** "true"/"false"/"1"/"0"/"yes"/"no": z.coerce.boolean would read "false" as true. */
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const positiveInt = z.coerce.number().int().positive();

/** Three comma-separated numbers, one per R, G, B channel. */
const channelTriple = z
  .string()
  .transform((text) => text.split(",").map((part) => Number(part.trim())))
  .refine(
    (values) => values.length === 3 && values.every(Number.isFinite),
    "expected three numbers, as R,G,B",
  )
  .transform((values) => values as [number, number, number]);

export const OriginConfigSchema = z.object({
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
  /**
   * The folder of the origin's local state, which moves whole with it: the PGlite database (`<dir>/pglite`,
   * raw payloads in its JSONB tables when MONGODB_URL is unset), the local edge's KV (`<dir>/edge`, where
   * `publish` writes and `edgewise start` serves from) and `edgewise start`'s API keys (`<dir>/ingest-api-key`,
   * `<dir>/edge-api-key`). PGLITE_DIR and PUBLISH_LOCAL_DIR, when set, override one part. Default `.edgewise`.
   */
  EDGEWISE_DATA_DIR: z.string().min(1).default(".edgewise"),
  /** Directory of the embedded PGlite database (created if missing). Default `<EDGEWISE_DATA_DIR>/pglite`. */
  PGLITE_DIR: z.string().min(1).optional(),
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
  /**
   * The rating scale: a rating whose value lies outside [RATING_MIN, RATING_MAX] is rejected. Defaults 0
   * and 10 (1–5 stars, 0–10 scores). The edge validates with the defaults: a wider scale also needs
   * ratings sent to the origin directly.
   */
  RATING_MIN: z.coerce.number().min(-1e15).max(1e15).default(DEFAULT_VALUE_RANGES.ratingMin),
  RATING_MAX: z.coerce.number().min(-1e15).max(1e15).default(DEFAULT_VALUE_RANGES.ratingMax),
  /** Highest item price accepted, in the catalogue's currency (prices are never negative). Default 1e9. */
  PRICE_MAX: z.coerce.number().positive().max(1e15).default(DEFAULT_VALUE_RANGES.priceMax),
  /**
   * Seconds a request's headers and body have to arrive; a body still arriving then gets 408 and its
   * connection closed, so a client trickling bytes cannot hold the origin for minutes. Default 30.
   */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /**
   * The least severe log line `edgewise serve` writes (JSON lines on stdout, one per request):
   * `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. Default `info`.
   */
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /**
   * When set, GET /metrics needs it as `Authorization: Bearer <key>` (16 characters or more). Default:
   * unset, /metrics open (bind HOST to a private address, or let your proxy guard it).
   */
  METRICS_API_KEY: z.string().min(16, "METRICS_API_KEY must be at least 16 characters").optional(),
  /**
   * The operator's key: the dashboard (/dashboard) and the admin API under /v1/admin (rollback, runs
   * triggered by a Cloudflare Cron Trigger), as a bearer key, 16 characters or more. Default: unset, and
   * they answer 404.
   */
  ADMIN_API_KEY: z.string().min(16, "ADMIN_API_KEY must be at least 16 characters").optional(),
  /**
   * Seconds between scheduled retrain-and-publish runs of `edgewise serve` (origin/train/schedule/scheduler.ts).
   * Default 0: no scheduled runs.
   */
  RETRAIN_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(0),
  /** Retrain and publish once this many records have arrived since the last run started. Default 0: off. */
  RETRAIN_AFTER_EVENTS: z.coerce.number().int().min(0).default(0),
  /** How often the event trigger looks at the event log (one index lookup). Default 30 seconds. */
  RETRAIN_POLL_SECONDS: positiveInt.default(30),
  /**
   * The publish gate: a model whose headline metric (nDCG@10 for recommendations, AUC for classifiers) is
   * worse than the serving version's by more than this share is not published unless forced. Default 0.02.
   */
  PUBLISH_TOLERANCE: z.coerce.number().min(0).max(1).default(0.02),
  /**
   * The baseline gate: a model is published only if its held-out headline metric beats its naive baseline's
   * on the same data (popularity for recommendations, the base rate for behaviour, the AFINN lexicon for
   * sentiment) by more than this relative margin; otherwise it is refused (recorded with the reason) and the
   * edge keeps its fallback. `--force` does not pass it. Default 0.02 (2 %).
   */
  BASELINE_MARGIN: z.coerce.number().min(0).max(10).default(0.02),
  /**
   * The memory one edge isolate may need for a release (models/contracts/isolate-footprint.ts: the runtime,
   * ORT and every model session, the catalogue twice while a new one is adopted, the full user cache), in
   * MiB. A publish over it is refused with the figures and the ways to shrink it. Default 122 (128 MB, the
   * Cloudflare isolate limit).
   */
  EDGE_MEMORY_BUDGET_MIB: z.coerce.number().positive().default(122),
  /** The edge's FEATURE_CACHE_MAX_USERS (wrangler.toml), for that estimate. Default 10000. */
  EDGE_FEATURE_CACHE_MAX_USERS: positiveInt.default(10_000),
  /**
   * Days of history a training run reads, counted back from the newest stored interaction (not from the
   * clock, so old exports train as they are). 0 = all history. `edgewise train --since/--until` override it.
   * Default 365.
   */
  TRAIN_WINDOW_DAYS: z.coerce.number().int().min(0).default(365),
  /**
   * Threads iALS shares its row solves across (worker_threads over shared memory). The factors are the same
   * byte for byte whatever the count. Default 0: every core (os.availableParallelism()).
   */
  TRAIN_THREADS: z.coerce.number().int().min(0).max(64).default(0),
  /**
   * The recommender's tuning budget, in candidate fits tried in a fixed order (1: the first candidate only,
   * no tuning). Counted in fits, never seconds, so the same data chooses the same model at any load; fewer
   * fits train faster on a large data set. Default 16.
   */
  TRAIN_TUNE_FITS: positiveInt.max(64).default(16),
  /** Past this many users, tuning runs on a seeded sample of this many; the winner is fitted on all. Default 20000. */
  TRAIN_TUNE_USERS: positiveInt.min(100).default(20_000),
  /**
   * What the behaviour model predicts (models/contracts/behaviour-target.ts): `event:TYPE:Nd`, an event of
   * TYPE (view, click, add_to_cart, purchase, rating, review) within N days, or `attribute:NAME[=V1,V2]`, a
   * user attribute (`attribute:churned`: true/yes/1 positive; `attribute:plan=premium,gold`: those values
   * positive). `edgewise train --behaviour-target` overrides it. Default `event:purchase:7d`.
   */
  BEHAVIOUR_TARGET: BehaviourTargetSpec.prefault(DEFAULT_BEHAVIOUR_TARGET),
  /**
   * Where scheduled runs publish: `local` (the local edge's KV in PUBLISH_LOCAL_DIR) or `cloudflare` (Workers
   * KV through the API; see origin/release/publish/cloudflare-kv-env.ts for its variables). Default `local`.
   */
  PUBLISH_TARGET: z.enum(["local", "cloudflare"]).default("local"),
  /** The local edge's KV persistence directory. Default `<EDGEWISE_DATA_DIR>/edge` (where `edgewise start` serves from). */
  PUBLISH_LOCAL_DIR: z.string().min(1).optional(),
  /**
   * Seconds between the learning runs of `edgewise serve` (origin/learn/): join the decision and reward
   * logs, update the bandit policies, gate and publish them to PUBLISH_TARGET. Default 300; 0 turns them off.
   */
  LEARN_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** A decision's join window: rewards later than this after it are late. Default 3600 (one hour). */
  LEARN_WINDOW_SECONDS: positiveInt.default(3600),
  /**
   * The longest decision and reward logs take to reach the origin (the edge's queue retries); the join runs
   * this far behind the wall clock, so a reward still in transit is not counted late. Default 60.
   */
  LEARN_ARRIVAL_DELAY_SECONDS: z.coerce.number().int().min(0).default(60),
  /** The reward of a shown slot that got none before its window closed, in [-1, 1]. Default 0. */
  LEARN_DEFAULT_REWARD: z.coerce.number().min(-1).max(1).default(0),
  /**
   * Training runs fetch and describe items' images (`image_url`) for image features, under the limits below.
   * Default true; false skips images entirely.
   */
  IMAGE_FEATURES: flag.default(true),
  /** Largest item image fetched for image features (origin/train/enrichment/images/); larger is skipped. Default 10 MiB. */
  IMAGE_FETCH_MAX_BYTES: positiveInt.default(10 * MiB),
  /** Seconds one image fetch (redirects, headers and body) may take; a slower one is skipped. Default 10. */
  IMAGE_FETCH_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
  /**
   * Let image fetches reach loopback, link-local and private addresses (an intranet image server). Default
   * false: an `image_url` that resolves to one is refused, so item records cannot make the origin probe its
   * own network or a cloud metadata service.
   */
  IMAGE_FETCH_ALLOW_PRIVATE: flag.default(false),
  /**
   * Keep image work between training runs (origin/train/enrichment/images/image-cache.ts): each URL's content
   * hash and HTTP validators, each image's descriptors and encoder embedding, so a run refetches only what
   * changed. Default true.
   */
  IMAGE_CACHE: flag.default(true),
  /** Where the image cache lives. Default `<EDGEWISE_DATA_DIR>/image-cache`. */
  IMAGE_CACHE_DIR: z.string().min(1).optional(),
  /**
   * Seconds an image URL is reused without asking its server again, when the server's answer gives no
   * max-age or Expires; after it, a conditional request (ETag, Last-Modified) asks whether it changed.
   * Default 604800 (a week); 0 asks every run.
   */
  IMAGE_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(604_800),
  /** The folder `file:` image URLs must lie inside (symlinks resolved). Default: unset, `file:` URLs refused. */
  IMAGE_FILE_ROOT: z.string().min(1).optional(),
  /**
   * An ONNX image encoder (an ImageNet CNN or a CLIP image tower you exported) run by onnxruntime-node on
   * every item image; its embedding joins the image descriptors. Default: unset, descriptors only.
   */
  IMAGE_ENCODER_MODEL: z.string().min(1).optional(),
  /** The encoder's square input side in pixels (images are resized to cover it, centre-cropped). Default 224. */
  IMAGE_ENCODER_SIZE: z.coerce.number().int().min(8).max(1024).default(224),
  /** Per-channel mean of [0, 1] pixels the encoder was trained with, `R,G,B`. Default ImageNet's. */
  IMAGE_ENCODER_MEAN: channelTriple.default([0.485, 0.456, 0.406]),
  /** Per-channel standard deviation, `R,G,B`, each above 0. Default ImageNet's. */
  IMAGE_ENCODER_STD: channelTriple
    .refine((values) => values.every((v) => v > 0), "standard deviations must be above 0")
    .default([0.229, 0.224, 0.225]),
  /** The encoder input's layout: `NCHW` (PyTorch exports) or `NHWC` (TensorFlow exports). Default NCHW. */
  IMAGE_ENCODER_LAYOUT: z.enum(["NCHW", "NHWC"]).default("NCHW"),
  /**
   * A BERT-style ONNX text encoder (inputs input_ids, attention_mask, token_type_ids) run by onnxruntime-node
   * on each item's title, text and categories. Default: unset. Needs TEXT_ENCODER_VOCAB.
   */
  TEXT_ENCODER_MODEL: z.string().min(1).optional(),
  /** The encoder's WordPiece vocab.txt. Default: unset. */
  TEXT_ENCODER_VOCAB: z.string().min(1).optional(),
  /** Most tokens per item text, [CLS] and [SEP] included. Default 128. */
  TEXT_ENCODER_MAX_TOKENS: z.coerce.number().int().min(3).max(4096).default(128),
  /** Lower-case and strip accents before WordPiece (uncased models). Default true. */
  TEXT_ENCODER_LOWERCASE: flag.default(true),
  /** How a per-token output becomes one vector: `mean` over real tokens or `cls`. Default mean. */
  TEXT_ENCODER_POOLING: z.enum(["mean", "cls"]).default("mean"),
  /**
   * Width of the catalogue's content vectors (origin/train/enrichment/content-vectors/): every training run
   * fuses each item's categories, words, image and text-encoder embeddings and item2vec into one vector
   * and projects it to this many dimensions (1 byte each per item at the edge). Default 64.
   */
  CONTENT_VECTOR_DIM: z.coerce.number().int().min(4).max(512).default(64),
});
/** The parsed configuration, with the local directories resolved against EDGEWISE_DATA_DIR. */
export type OriginConfig = Omit<
  z.infer<typeof OriginConfigSchema>,
  "PGLITE_DIR" | "PUBLISH_LOCAL_DIR" | "IMAGE_CACHE_DIR"
> & {
  PGLITE_DIR: string;
  PUBLISH_LOCAL_DIR: string;
  IMAGE_CACHE_DIR: string;
};

/**
 * A configuration the origin cannot run with: a summary and one entry per bad variable. The CLI prints it
 * as one line (`oneLine`) and exits non-zero, without a stack trace: nothing in the code is wrong.
 */
export class ConfigError extends Error {
  readonly summary: string;
  readonly problems: readonly string[];

  constructor(summary: string, problems: readonly string[] = []) {
    super(problems.length === 0 ? summary : `${summary}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.summary = summary;
    this.problems = problems;
  }

  get oneLine(): string {
    return this.problems.length === 0 ? this.summary : `${this.summary}: ${this.problems.join("; ")}`;
  }
}

/** Values of these are never echoed back in an error: keys, tokens and URLs that may hold a password. */
const secretName = /KEY|TOKEN|SECRET|PASSWORD|URL/;

/** Parses the environment; throws one ConfigError that names every bad variable. Empty values count as unset. */
export function loadOriginConfig(env: Record<string, string | undefined> = process.env): OriginConfig {
  const present = Object.fromEntries(
    Object.keys(OriginConfigSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === "" ? [] : [[key, value]];
    }),
  );
  const parsed = OriginConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join(".");
      const value = present[key];
      const shown = value === undefined || secretName.test(key) ? "" : ` (got '${value}')`;
      return `${key}: ${issue.message}${shown}`;
    });
    throw new ConfigError("invalid origin configuration", problems);
  }
  const dataDir = parsed.data.EDGEWISE_DATA_DIR;
  return {
    ...parsed.data,
    PGLITE_DIR: parsed.data.PGLITE_DIR ?? path.join(dataDir, "pglite"),
    PUBLISH_LOCAL_DIR: parsed.data.PUBLISH_LOCAL_DIR ?? path.join(dataDir, "edge"),
    IMAGE_CACHE_DIR: parsed.data.IMAGE_CACHE_DIR ?? path.join(dataDir, "image-cache"),
  };
}

/** The value ranges records are held to (RATING_MIN, RATING_MAX, PRICE_MAX); throws on an empty scale. */
export function valueRanges(config: OriginConfig): ValueRanges {
  if (!(config.RATING_MIN < config.RATING_MAX)) {
    throw new ConfigError("invalid origin configuration", [
      `RATING_MIN (${config.RATING_MIN}) must be below RATING_MAX (${config.RATING_MAX})`,
    ]);
  }
  return { ratingMin: config.RATING_MIN, ratingMax: config.RATING_MAX, priceMax: config.PRICE_MAX };
}

/**
 * The rules item records' `image_url`s are held to at ingestion: `file:` URLs only inside IMAGE_FILE_ROOT
 * (made absolute against the working directory, as the image fetcher resolves it), none without it.
 */
export function imageUrlRules(config: Pick<OriginConfig, "IMAGE_FILE_ROOT">): ImageUrlRules {
  return config.IMAGE_FILE_ROOT === undefined ? {} : { fileRoot: path.resolve(config.IMAGE_FILE_ROOT) };
}

/** The event store backend the configuration selects. */
export function eventStoreBackend(config: OriginConfig): "pglite" | "postgres" | "neon" {
  return config.EVENT_STORE ?? (config.DATABASE_URL === undefined ? "pglite" : "postgres");
}
