import type { WeightChoice } from "../../../../models/contracts/index.ts";
import { mulberry32 } from "../../../../models/random.ts";

export interface NextItemPairs {
  /** an item a user interacted with, and the next new item they turned to (held out of item2vec) */
  previous: Int32Array;
  next: Int32Array;
}

export interface ShareOptions {
  /**
   * Candidate shares. 1 is left out by default: items nobody has interacted with have no item2vec row,
   * so the content parts keep at least a quarter of the weight to give them a vector at all.
   */
  shares: readonly number[];
  /** random items each held-out next item is ranked against */
  negatives: number;
  k: number;
  /** fewer pairs and the default share is used unmeasured */
  minPairs: number;
  /** used unmeasured: item2vec's share when it could not be measured */
  defaultShare: number;
  seed: number;
}

export const SHARE_DEFAULTS: ShareOptions = {
  shares: [0, 0.25, 0.5, 0.75],
  negatives: 100,
  k: 10,
  minPairs: 20,
  defaultShare: 0.5,
  seed: 1,
};

/** A block of [rows × dim] vectors whose rows are unit-length or zero, so a dot product is a cosine. */
export interface UnitRows {
  vectors: Float32Array;
  dim: number;
}

/**
 * item2vec's share α of the fused vector, against the content parts' (1 − α): the fused vector's dot
 * product is (1 − α)·content + α·item2vec, so each candidate share ranks items differently from the same
 * two similarities. Measured on held-out transitions: for each user's last new item (left out of
 * item2vec's training), the item before it is the query and the held-out item is ranked against
 * `negatives` random items by the fused similarity, ties counted against it; the share with the best
 * mean nDCG@k wins. This is the similar-items question ("what next, after this one?"), which is what
 * the catalogue's content vectors answer.
 */
export function chooseItem2vecShare(
  content: UnitRows,
  item2vec: UnitRows,
  pairs: NextItemPairs,
  items: number,
  options: Partial<ShareOptions> = {},
): { share: number; weighting: WeightChoice } {
  const o = { ...SHARE_DEFAULTS, ...options };
  const metric = `next-item-ndcg@${o.k}`;
  const n = pairs.previous.length;
  if (n < o.minPairs || items < 2) {
    return {
      share: o.defaultShare,
      weighting: { method: "default", metric, heldOut: 0, score: null, bestSinglePart: null },
    };
  }
  const rng = mulberry32(o.seed);
  // the candidates, then content alone and item2vec alone for the report
  const measured = [...o.shares, 0, 1];
  const totals = new Float64Array(measured.length);
  const contentSim = new Float64Array(o.negatives + 1);
  const item2vecSim = new Float64Array(o.negatives + 1);
  for (let p = 0; p < n; p++) {
    const query = pairs.previous[p]!;
    const target = pairs.next[p]!;
    // candidate 0 is the held-out item
    for (let c = 0; c <= o.negatives; c++) {
      let item = target;
      if (c > 0) {
        do {
          item = Math.floor(rng() * items);
        } while (item === query || item === target);
      }
      contentSim[c] = rowDot(content, query, item);
      item2vecSim[c] = rowDot(item2vec, query, item);
    }
    measured.forEach((share, s) => {
      const score = (c: number) => (1 - share) * contentSim[c]! + share * item2vecSim[c]!;
      const own = score(0);
      let rank = 1;
      for (let c = 1; c <= o.negatives; c++) {
        if (score(c) >= own) {
          rank++;
        }
      }
      totals[s]! += rank <= o.k ? 1 / Math.log2(rank + 1) : 0;
    });
  }
  const scores = Array.from(totals, (total) => total / n);
  const candidates = scores.slice(0, o.shares.length);
  const best = candidates.indexOf(Math.max(...candidates));
  return {
    share: o.shares[best]!,
    weighting: {
      method: "validation",
      metric,
      heldOut: n,
      score: scores[best]!,
      bestSinglePart: Math.max(scores[o.shares.length]!, scores[o.shares.length + 1]!),
    },
  };
}

function rowDot(block: UnitRows, a: number, b: number): number {
  let s = 0;
  for (let d = 0; d < block.dim; d++) {
    s += block.vectors[a * block.dim + d]! * block.vectors[b * block.dim + d]!;
  }
  return s;
}
