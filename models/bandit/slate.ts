/**
 * Slates with exact propensities. A ranking of k slots is sampled slot by slot without replacement: each
 * slot draws from a distribution over the actions not yet placed, and logs the probability of what it
 * drew. So a slot's propensity is P(action in this slot | the slots above); the probabilities of a slot
 * sum to 1 over the remaining actions, and the product of the first j propensities is the probability of
 * the whole top-j prefix. Every rule below mixes in a uniform floor (epsilon) when asked, which keeps every
 * remaining action's probability at least epsilon / remaining.
 */
import type { Rng } from "../random.ts";

export type SlotRule =
  /** P(a) = (1 − ε)·softmax(score/temperature)(a) + ε/remaining. */
  | { kind: "softmax"; temperature: number; epsilon: number }
  /** The best remaining action with probability 1 − ε + ε/remaining, each other one ε/remaining. */
  | { kind: "epsilon-greedy"; epsilon: number }
  /** The best remaining action with probability 1 (logs propensity 1; other policies cannot be evaluated). */
  | { kind: "greedy" };

export interface Slate {
  /** Indices into the candidate list, slot 0 first. */
  order: Uint32Array;
  /** propensities[s] = P(order[s] in slot s | order[0 … s−1]). */
  propensities: Float64Array;
}

/** The best action not taken; ties go to the lower index so the rule stays deterministic (and exact). */
function bestRemaining(scores: Float64Array, taken: Uint8Array): number {
  let best = -1;
  for (let a = 0; a < scores.length; a++) {
    if (taken[a] === 0 && (best < 0 || scores[a]! > scores[best]!)) {
      best = a;
    }
  }
  return best;
}

/** Fills `out` with the next slot's distribution over all actions (0 for taken ones). */
export function slotDistribution(
  scores: Float64Array,
  taken: Uint8Array,
  rule: SlotRule,
  out: Float64Array,
): void {
  let remaining = 0;
  for (let a = 0; a < scores.length; a++) {
    remaining += taken[a] === 0 ? 1 : 0;
  }
  out.fill(0);
  if (remaining === 0) {
    return;
  }
  if (rule.kind !== "softmax") {
    const epsilon = rule.kind === "greedy" ? 0 : rule.epsilon;
    const floor = epsilon / remaining;
    for (let a = 0; a < scores.length; a++) {
      out[a] = taken[a] === 0 ? floor : 0;
    }
    const best = bestRemaining(scores, taken);
    out[best] = out[best]! + (1 - epsilon);
    return;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < scores.length; a++) {
    if (taken[a] === 0 && scores[a]! > max) {
      max = scores[a]!;
    }
  }
  let total = 0;
  for (let a = 0; a < scores.length; a++) {
    if (taken[a] === 0) {
      // Shifting by the max keeps exp() finite for any temperature; the best action gets weight 1.
      const w = Math.exp((scores[a]! - max) / rule.temperature);
      out[a] = w;
      total += w;
    }
  }
  const keep = 1 - rule.epsilon;
  const floor = rule.epsilon / remaining;
  for (let a = 0; a < scores.length; a++) {
    if (taken[a] === 0) {
      out[a] = (keep * out[a]!) / total + floor;
    }
  }
}

/** Draws an index from `probabilities` (summing to 1) with one uniform; never returns a 0-probability index. */
export function drawIndex(probabilities: Float64Array, u: number): number {
  let cumulative = 0;
  let last = -1;
  for (let a = 0; a < probabilities.length; a++) {
    const p = probabilities[a]!;
    if (p > 0) {
      cumulative += p;
      last = a;
      if (u < cumulative) {
        return a;
      }
    }
  }
  // u landed in the rounding gap above the last cumulative sum.
  return last;
}

export function sampleSlate(scores: Float64Array, k: number, rule: SlotRule, rng: Rng): Slate {
  const n = scores.length;
  const slots = Math.min(k, n);
  const taken = new Uint8Array(n);
  const probabilities = new Float64Array(n);
  const order = new Uint32Array(slots);
  const propensities = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    slotDistribution(scores, taken, rule, probabilities);
    const a = drawIndex(probabilities, rng());
    order[s] = a;
    propensities[s] = probabilities[a]!;
    taken[a] = 1;
  }
  return { order, propensities };
}

/**
 * Epsilon-greedy around a ranking made elsewhere (the decision engine's model ranking): `baseOrder`
 * lists candidate indices best first, and each slot keeps the next best one with probability 1 − ε.
 */
export function epsilonGreedyAroundRanking(
  baseOrder: Uint32Array,
  k: number,
  epsilon: number,
  rng: Rng,
): Slate {
  const scores = new Float64Array(baseOrder.length);
  for (let rank = 0; rank < baseOrder.length; rank++) {
    scores[baseOrder[rank]!] = -rank;
  }
  return sampleSlate(scores, k, { kind: "epsilon-greedy", epsilon }, rng);
}
