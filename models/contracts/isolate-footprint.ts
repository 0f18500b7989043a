/**
 * What one edge isolate holds for a release, estimated by the origin before it publishes (a release over
 * the budget is refused, origin/release/publish) and reported by the edge's /health. Cloudflare stops an
 * isolate at 128 MB, and a local workerd does not enforce that, so a release that would fail in production
 * serves here: the estimate is the guard.
 *
 * The parts, in bytes:
 * - runtime: the Worker's own JavaScript (Hono, zod, the app and its caches' structures).
 * - ort: onnxruntime-web's linear memory once initialised, when the release has any model.
 * - sessions: per model, its bytes twice (ORT keeps the model and its initialised tensors) plus overhead.
 * - catalog: the catalogue kernel's memory: the catalogue's bytes (its only copy) and the per-request
 *   regions sized from its header (catalogKernelBytes).
 * - catalogSwitch: the previous release's catalogue, which an isolate keeps while it adopts the next
 *   one; estimated as the same size again.
 * - features: the per-isolate user cache when full (FEATURE_CACHE_MAX_USERS records), at the published
 *   records' mean size in JSON times the parsed-object overhead, and the shard cache when full
 *   (FEATURE_CACHE_SHARDS shards' text at the published shards' mean).
 *
 * The constants are estimates from local workerd measurements (README, "Memory budget"), not Cloudflare's
 * accounting, which cannot be observed outside its platform: keep a margin.
 */
import { FEATURE_CACHE_SHARDS } from "./user-features.ts";

const MiB = 1024 * 1024;

export const FOOTPRINT_CONSTANTS = {
  runtimeBytes: 12 * MiB,
  ortBytes: 16 * MiB,
  sessionOverheadBytes: 1 * MiB,
  /** A parsed JSON record takes about this many times its text in V8's heap. */
  parsedJsonFactor: 3,
} as const;

/** The default budget: 128 MB (Cloudflare's isolate limit, read as 10⁶ bytes) is 122 MiB. */
export const DEFAULT_ISOLATE_BUDGET_BYTES = 122 * MiB;

export interface FootprintInput {
  /** Bytes of each ONNX model the release serves. */
  modelBytes: readonly number[];
  /** The catalogue kernel's bytes (catalogKernelBytes), or 0 without a catalogue. */
  catalogKernelBytes: number;
  /** Mean JSON length of a published user record, and how many records an isolate caches. */
  userRecordBytes: number;
  featureCacheUsers: number;
  /** Mean text length of a published user shard (as the edge holds it inflated); 0 without users. */
  userShardTextBytes: number;
}

export interface IsolateFootprint {
  totalBytes: number;
  budgetBytes: number;
  parts: {
    runtime: number;
    ort: number;
    sessions: number;
    catalog: number;
    catalogSwitch: number;
    features: number;
  };
}

export function estimateIsolateFootprint(input: FootprintInput, budgetBytes: number): IsolateFootprint {
  const c = FOOTPRINT_CONSTANTS;
  const parts = {
    runtime: c.runtimeBytes,
    ort: input.modelBytes.length > 0 ? c.ortBytes : 0,
    sessions: input.modelBytes.reduce((sum, bytes) => sum + 2 * bytes + c.sessionOverheadBytes, 0),
    catalog: input.catalogKernelBytes,
    catalogSwitch: input.catalogKernelBytes,
    features: Math.round(
      input.userRecordBytes * c.parsedJsonFactor * input.featureCacheUsers +
        input.userShardTextBytes * FEATURE_CACHE_SHARDS,
    ),
  };
  const totalBytes = Object.values(parts).reduce((sum, bytes) => sum + bytes, 0);
  return { totalBytes, budgetBytes, parts };
}

/** Why a footprint over its budget is refused, and what would bring it under. */
export function overBudgetMessage(
  footprint: IsolateFootprint,
  catalog: { items: number; dim: number } | null,
) {
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
  const parts = Object.entries(footprint.parts)
    .filter(([, bytes]) => bytes > 0)
    .map(([name, bytes]) => `${name} ${mib(bytes)}`)
    .join(", ");
  const vectors = catalog ? ` (its int8 vectors alone are ${mib(catalog.items * catalog.dim)})` : "";
  return (
    `this release needs about ${mib(footprint.totalBytes)} per edge isolate (${parts}), over the budget of ` +
    `${mib(footprint.budgetBytes)}. Options: train the recommendation model with a lower dimension${vectors}; ` +
    "quantize the item vectors further (product quantization; not built in yet); publish fewer items per " +
    "surface (a catalogue per surface, or drop items nobody interacted with); lower FEATURE_CACHE_MAX_USERS; " +
    "or serve candidates from a Cloudflare Vectorize index (the VECTORIZE binding, README). To publish " +
    "anyway, raise EDGE_MEMORY_BUDGET_MIB."
  );
}
