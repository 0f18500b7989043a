/**
 * A synthetic world with a known optimum, for the bandit and off-policy-evaluation tests. Users carry
 * observable features (x1, x2 numeric, a segment) and a hidden preference vector over item features,
 * w = W·φ(user) with φ = [1, x1, x2, one-hot segment]; an item shown to a user is clicked with probability
 * σ(wᵀv + offset). W, the items and everything random come from a seeded mulberry32, so every run sees
 * the same world. The truth (click probabilities) is exposed so tests can compute optimal and fixed-policy
 * rewards exactly instead of estimating them.
 */
import type { FeatureMap, RankRequest } from "../../models/contracts/decision.ts";
import { mulberry32, type Rng } from "../../models/random.ts";

export const SEGMENTS = ["a", "b", "c"] as const;

export interface SimUser {
  id: string;
  features: FeatureMap;
  /** The hidden preference over item features. */
  preference: Float64Array;
}

export interface SimItem {
  id: string;
  vector: number[];
}

export interface SimulatorOptions {
  seed: number;
  items?: number;
  /** Item vector length: the bandit's actionDims − 1. */
  itemDims?: number;
  /** Candidates offered per decision. */
  candidates?: number;
  /** Added to every logit: sets the base click rate. */
  offset?: number;
}

export interface BanditSimulator {
  surface: string;
  itemDims: number;
  items: SimItem[];
  sampleUser(rng: Rng, id: string): SimUser;
  /** Distinct item indices, in random order. */
  sampleCandidates(rng: Rng): Uint32Array;
  clickProbability(user: SimUser, item: number): number;
  rankRequest(user: SimUser, candidates: Uint32Array, k: number): RankRequest;
}

export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

export function createSimulator(options: SimulatorOptions): BanditSimulator {
  const rng = mulberry32(options.seed);
  const itemDims = options.itemDims ?? 7;
  const itemCount = options.items ?? 40;
  const candidates = options.candidates ?? 10;
  const offset = options.offset ?? -1;
  const phiDims = 3 + SEGMENTS.length;
  const w = Float64Array.from({ length: itemDims * phiDims }, () => normal(rng) * 0.9);
  const items: SimItem[] = Array.from({ length: itemCount }, (_, i) => ({
    id: `item-${i}`,
    vector: Array.from({ length: itemDims }, () => Math.round(normal(rng) * 0.7 * 1000) / 1000),
  }));

  return {
    surface: "home",
    itemDims,
    items,
    sampleUser(r, id) {
      const x1 = normal(r);
      const x2 = normal(r);
      const segment = Math.floor(r() * SEGMENTS.length);
      const phi = [1, x1, x2, ...SEGMENTS.map((_, s) => (s === segment ? 1 : 0))];
      const preference = new Float64Array(itemDims);
      for (let j = 0; j < itemDims; j++) {
        for (let f = 0; f < phiDims; f++) {
          preference[j] = preference[j]! + w[j * phiDims + f]! * phi[f]!;
        }
      }
      return { id, features: { x1, x2, segment: SEGMENTS[segment]! }, preference };
    },
    sampleCandidates(r) {
      const pool = Array.from({ length: itemCount }, (_, i) => i);
      for (let i = 0; i < candidates; i++) {
        const j = i + Math.floor(r() * (itemCount - i));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
      return Uint32Array.from(pool.slice(0, candidates));
    },
    clickProbability(user, item) {
      const v = items[item]!.vector;
      let logit = offset;
      for (let j = 0; j < itemDims; j++) {
        logit += user.preference[j]! * v[j]!;
      }
      return 1 / (1 + Math.exp(-logit));
    },
    rankRequest(user, offered, k) {
      return {
        context: { user_id: user.id, surface: "home", features: user.features },
        actions: Array.from(offered, (i) => ({ id: items[i]!.id, vector: items[i]!.vector })),
        k,
      };
    },
  };
}

/**
 * The best fixed (non-personalised) ranking: items ordered by their mean click probability over the user
 * population, estimated on `users` users drawn with their own seed. Showing the best of it among the
 * candidates is what a well-tuned popularity model converges to.
 */
export function fixedRanking(sim: BanditSimulator, users: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const meanClick = new Float64Array(sim.items.length);
  for (let u = 0; u < users; u++) {
    const user = sim.sampleUser(rng, `fixed-${u}`);
    for (let i = 0; i < sim.items.length; i++) {
      meanClick[i] = meanClick[i]! + sim.clickProbability(user, i) / users;
    }
  }
  return meanClick;
}

/** The candidate with the highest `score`. */
export function bestBy(score: (item: number) => number, candidates: Uint32Array): number {
  let best = candidates[0]!;
  for (const item of candidates) {
    if (score(item) > score(best)) {
      best = item;
    }
  }
  return best;
}
