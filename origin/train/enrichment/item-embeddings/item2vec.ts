import { mulberry32 } from "../../../../models/random.ts";

/** Users' item sequences as one flat list: sequence s is items[offsets[s] .. offsets[s + 1]). */
export interface ItemSequences {
  offsets: Int32Array;
  items: Int32Array;
}

export interface Item2vecOptions {
  dim: number;
  /** largest distance between a centre item and a context item; each step draws 1..window */
  window: number;
  /** sampled non-context items per (centre, context) pair, drawn by count^0.75 */
  negatives: number;
  epochs: number;
  /** start learning rate, decayed linearly to 1e-4 of it */
  learningRate: number;
  /** frequent items are dropped from a pass with probability 1 − √(t / frequency) (word2vec's subsampling) */
  subsample: number;
  seed: number;
}

export const ITEM2VEC_DEFAULTS: Item2vecOptions = {
  dim: 32,
  window: 5,
  negatives: 5,
  epochs: 5,
  learningRate: 0.025,
  subsample: 1e-3,
  seed: 1,
};

const NEGATIVE_TABLE_SIZE = 1 << 20;

/**
 * Item embeddings from the business's own behaviour: skip-gram with negative sampling (word2vec) over users'
 * item sequences, so items bought or viewed near each other get nearby vectors. Plain SGD, one thread,
 * seeded: the same sequences and options give the same vectors. Returns the input vectors,
 * [items × dim] row-major; an item that no sequence holds keeps a zero row.
 */
export function trainItem2vec(
  sequences: ItemSequences,
  items: number,
  options: Partial<Item2vecOptions> = {},
): Float32Array {
  const o = { ...ITEM2VEC_DEFAULTS, ...options };
  const rng = mulberry32(o.seed);
  const counts = new Float64Array(items);
  for (const item of sequences.items) {
    counts[item]! += 1;
  }
  const total = sequences.items.length;
  const input = new Float32Array(items * o.dim);
  const output = new Float32Array(items * o.dim);
  for (let i = 0; i < items; i++) {
    if (counts[i]! > 0) {
      for (let d = 0; d < o.dim; d++) {
        input[i * o.dim + d] = (rng() - 0.5) / o.dim;
      }
    }
  }
  if (total === 0) {
    return input;
  }
  const table = negativeTable(counts);
  const keep = Float64Array.from(counts, (c) => {
    const frequency = c / total;
    return frequency === 0 ? 0 : Math.min(1, Math.sqrt(o.subsample / frequency) + o.subsample / frequency);
  });
  const gradient = new Float32Array(o.dim);
  const sequenceCount = sequences.offsets.length - 1;
  const steps = o.epochs * total;
  let step = 0;
  const kept: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let s = 0; s < sequenceCount; s++) {
      kept.length = 0;
      for (let t = sequences.offsets[s]!; t < sequences.offsets[s + 1]!; t++) {
        const item = sequences.items[t]!;
        if (rng() < keep[item]!) {
          kept.push(item);
        }
      }
      for (let p = 0; p < kept.length; p++) {
        const rate = o.learningRate * Math.max(1e-4, 1 - step / steps);
        step++;
        const centre = kept[p]! * o.dim;
        const reach = 1 + Math.floor(rng() * o.window);
        for (let q = Math.max(0, p - reach); q <= Math.min(kept.length - 1, p + reach); q++) {
          if (q === p) {
            continue;
          }
          gradient.fill(0);
          for (let n = 0; n <= o.negatives; n++) {
            const target = n === 0 ? kept[q]! : table[Math.floor(rng() * NEGATIVE_TABLE_SIZE)]!;
            if (n > 0 && target === kept[q]) {
              continue;
            }
            const out = target * o.dim;
            let dot = 0;
            for (let d = 0; d < o.dim; d++) {
              dot += input[centre + d]! * output[out + d]!;
            }
            // gradient of log σ(±dot): (label − σ(dot)) · rate
            const g = ((n === 0 ? 1 : 0) - 1 / (1 + Math.exp(-dot))) * rate;
            for (let d = 0; d < o.dim; d++) {
              gradient[d]! += g * output[out + d]!;
              output[out + d]! += g * input[centre + d]!;
            }
          }
          for (let d = 0; d < o.dim; d++) {
            input[centre + d]! += gradient[d]!;
          }
        }
      }
    }
  }
  return input;
}

/** Items laid out in proportion to count^0.75, the unigram-smoothed distribution negatives come from. */
function negativeTable(counts: Float64Array): Int32Array {
  const table = new Int32Array(NEGATIVE_TABLE_SIZE);
  let norm = 0;
  for (const c of counts) {
    norm += c ** 0.75;
  }
  let slot = 0;
  let cumulative = 0;
  for (let item = 0; item < counts.length; item++) {
    if (counts[item] === 0) {
      continue;
    }
    cumulative += counts[item]! ** 0.75 / norm;
    const end = Math.min(NEGATIVE_TABLE_SIZE, Math.round(cumulative * NEGATIVE_TABLE_SIZE));
    table.fill(item, slot, end);
    slot = Math.max(slot, end);
  }
  // rounding may leave the last slots: they go to the last item seen
  if (slot < NEGATIVE_TABLE_SIZE && slot > 0) {
    table.fill(table[slot - 1]!, slot);
  }
  return table;
}

/** Each user's items in time order (ties by event order), as ItemSequences over dense user and item ids. */
export function sequencesByUser(
  users: number,
  user: ArrayLike<number>,
  item: ArrayLike<number>,
  time: ArrayLike<number>,
): ItemSequences {
  const order = Array.from({ length: user.length }, (_, e) => e).sort(
    (a, b) => user[a]! - user[b]! || time[a]! - time[b]! || a - b,
  );
  const offsets = new Int32Array(users + 1);
  for (let e = 0; e < user.length; e++) {
    offsets[user[e]! + 1]! += 1;
  }
  for (let u = 0; u < users; u++) {
    offsets[u + 1]! += offsets[u]!;
  }
  return { offsets, items: Int32Array.from(order, (e) => item[e]!) };
}
