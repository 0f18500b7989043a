/**
 * Named features and dense vectors → fixed-width float64 vectors, identically at the edge (deciding) and
 * at the origin (learning, evaluating). Slot 0 is a constant 1 (bias), so the joint vector context⊗action
 * contains the context-only terms, the action-only terms (an action's own appeal) and every interaction.
 * Names are hashed (the hashing trick, with a hashed sign so collisions cancel on average instead of
 * adding up): no vocabulary to publish, and new feature names need no new model. Disjoint per-action
 * arms are the special case of an action feature `{ id: "<action id>" }`.
 */
import type { FeatureMap, RankAction } from "../contracts/decision.ts";
import { fmix32, fnv1a32 } from "../hash/index.ts";

/** A request whose vectors do not fit the surface's configuration: a 4xx for the caller, not a crash. */
export class FeatureShapeError extends Error {}

/** Writes the hashed encoding of `features` into out[offset … offset + dims). */
export function encodeFeatureMap(features: FeatureMap, dims: number, out: Float64Array, offset = 0): void {
  out.fill(0, offset, offset + dims);
  out[offset] = 1;
  const buckets = dims - 1;
  if (buckets === 0) {
    return;
  }
  for (const name in features) {
    const value = features[name]!;
    const numeric = typeof value === "number" ? value : typeof value === "boolean" ? (value ? 1 : 0) : 1;
    const token = typeof value === "string" ? `${name}=${value}` : name;
    const h = fmix32(fnv1a32(token));
    const sign = h >>> 31 === 0 ? 1 : -1;
    const slot = offset + 1 + (h % buckets);
    out[slot] = out[slot]! + sign * numeric;
  }
}

/** One action's vector: its dense vector after the bias, or its hashed features, or the bias alone. */
export function encodeAction(action: RankAction, dims: number, out: Float64Array, offset = 0): void {
  if (action.vector !== undefined) {
    if (action.vector.length !== dims - 1) {
      throw new FeatureShapeError(
        `action '${action.id}' has a vector of ${action.vector.length} values; this surface expects ${dims - 1}`,
      );
    }
    out[offset] = 1;
    for (let j = 0; j < action.vector.length; j++) {
      out[offset + 1 + j] = action.vector[j]!;
    }
    return;
  }
  encodeFeatureMap(action.features ?? {}, dims, out, offset);
}

/** Every action's vector, row after row (n × dims). */
export function encodeActions(actions: readonly RankAction[], dims: number): Float64Array {
  const out = new Float64Array(actions.length * dims);
  for (let i = 0; i < actions.length; i++) {
    encodeAction(actions[i]!, dims, out, i * dims);
  }
  return out;
}

export function encodeContext(features: FeatureMap, dims: number): Float64Array {
  const out = new Float64Array(dims);
  encodeFeatureMap(features, dims, out);
  return out;
}
