import type { SparseRows } from "../../../models/features/sparse-rows.ts";
import type { Rng } from "../../../models/random.ts";

/** The rows listed in `rows`, in that order. */
export function selectRows(m: SparseRows, rows: ArrayLike<number>): SparseRows {
  const offsets = new Int32Array(rows.length + 1);
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t]!;
    offsets[t + 1] = offsets[t]! + m.offsets[r + 1]! - m.offsets[r]!;
  }
  const indices = new Int32Array(offsets[rows.length]!);
  const values = new Float32Array(offsets[rows.length]!);
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t]!;
    indices.set(m.indices.subarray(m.offsets[r]!, m.offsets[r + 1]!), offsets[t]!);
    values.set(m.values.subarray(m.offsets[r]!, m.offsets[r + 1]!), offsets[t]!);
  }
  return { rows: rows.length, dim: m.dim, offsets, indices, values };
}

/**
 * A stratified random split of row indices: each class keeps its share on both sides, so a small validation
 * set still sees the minority class in proportion.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  validationFraction: number,
  rng: Rng,
): { train: Int32Array; validation: Int32Array } {
  const train: number[] = [];
  const validation: number[] = [];
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let r = 0; r < labels.length; r++) {
      if (labels[r] === cls) {
        members.push(r);
      }
    }
    for (let t = members.length - 1; t > 0; t--) {
      const j = Math.floor(rng() * (t + 1));
      [members[t], members[j]] = [members[j]!, members[t]!];
    }
    const cut = Math.round(members.length * validationFraction);
    validation.push(...members.slice(0, cut));
    train.push(...members.slice(cut));
  }
  return {
    train: Int32Array.from(train).sort(),
    validation: Int32Array.from(validation).sort(),
  };
}

export function pickLabels(labels: ArrayLike<number>, rows: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: rows.length }, (_, t) => labels[rows[t]!]!);
}
