/**
 * The confidence transform: how a user's events on an item become the value iALS reads as confidence
 * (c = 1 + α·value). It is a hyper-parameter, chosen on validation like λ and α, because which is right
 * depends on the data: star ratings, purchase-heavy shops and play counts each favour a different one.
 * - `weighted`: the summed event weights (a purchase outweighs a view; a 5-star rating a 1-star one);
 * - `binary`: 1 for every pair, however many events;
 * - `log-count`: log(1 + events), for repeated plays or views.
 */
import { mulberry32 } from "../../../models/random.ts";
import { buildCsr, type CsrMatrix } from "./csr.ts";
import { splitPerUser } from "./split.ts";

export const CONFIDENCE_KINDS = ["weighted", "binary", "log-count"] as const;
export type ConfidenceKind = (typeof CONFIDENCE_KINDS)[number];

/** Every (user, item) pair once, with its summed event weight and its event count. */
export interface PairData {
  /** values: the summed event weights */
  weights: CsrMatrix;
  /** the same rows and indices; values: events per pair */
  counts: Float32Array;
}

export interface WeightedEvents {
  users: number;
  items: number;
  user: Int32Array;
  item: Int32Array;
  /** per-event weight (see eventWeight in origin/train/pipeline/interaction-matrix.ts) */
  weight: Float32Array;
}

export function pairData(events: WeightedEvents): PairData {
  const weights = buildCsr({
    users: events.users,
    items: events.items,
    user: events.user,
    item: events.item,
    value: events.weight,
  });
  // Same rows, same sort, same merge: the indices line up with `weights` entry for entry.
  const counts = buildCsr({ users: events.users, items: events.items, user: events.user, item: events.item });
  return { weights, counts: counts.values };
}

/** The matrix iALS trains on under `kind`: the same pairs, values transformed. */
export function withConfidence(pairs: PairData, kind: ConfidenceKind): CsrMatrix {
  const { weights } = pairs;
  if (kind === "weighted") {
    return weights;
  }
  const values = new Float32Array(weights.values.length);
  if (kind === "binary") {
    values.fill(1);
  } else {
    for (let t = 0; t < values.length; t++) {
      values[t] = Math.log1p(pairs.counts[t]!);
    }
  }
  return { ...weights, values };
}

/**
 * A per-user split of the pairs (splitPerUser), the counts split alongside: the partition depends only on
 * row lengths and the seed, so splitting both matrices with the same seed keeps them aligned.
 */
export function splitPairs(
  pairs: PairData,
  fraction: number,
  seed: number,
): { train: PairData; test: PairData } {
  const w = splitPerUser(pairs.weights, fraction, mulberry32(seed));
  const c = splitPerUser({ ...pairs.weights, values: pairs.counts }, fraction, mulberry32(seed));
  return {
    train: { weights: w.train, counts: c.train.values },
    test: { weights: w.test, counts: c.test.values },
  };
}

/** The rows `users` (ascending) of the pairs, every column kept: the sample tuning runs on past a size. */
export function selectUsers(pairs: PairData, users: Int32Array): PairData {
  const { weights } = pairs;
  const offsets = new Int32Array(users.length + 1);
  let n = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r]!;
    n += weights.offsets[u + 1]! - weights.offsets[u]!;
    offsets[r + 1] = n;
  }
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  const counts = new Float32Array(n);
  for (let r = 0; r < users.length; r++) {
    const u = users[r]!;
    const start = weights.offsets[u]!;
    const end = weights.offsets[u + 1]!;
    indices.set(weights.indices.subarray(start, end), offsets[r]!);
    values.set(weights.values.subarray(start, end), offsets[r]!);
    counts.set(pairs.counts.subarray(start, end), offsets[r]!);
  }
  return { weights: { rows: users.length, cols: weights.cols, offsets, indices, values }, counts };
}
