/**
 * Top-k ranking metrics with binary relevance, in their usual definitions:
 * - Precision@k = hits in the first k / k (a list shorter than k still divides by k).
 * - Recall@k = hits in the first k / |relevant|.
 * - nDCG@k = DCG@k / IDCG@k, DCG = Σ rel_i / log2(i + 1) over positions i = 1..k, and IDCG the DCG of a
 *   perfect list, which holds min(k, |relevant|) hits.
 * - MAP@k = mean over users of AP@k = Σ_{i ≤ k, rel_i} Precision@i / min(k, |relevant|).
 * - coverage = distinct items recommended to anyone / catalogue size.
 * Users with no relevant item are skipped by the averages (their recall is undefined).
 */

export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  coverage: number;
  /** users that had at least one relevant item and so count in the means */
  users: number;
  k: number;
}

function hitsIn(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  const n = Math.min(k, recommended.length);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(recommended[i]!)) {
      hits++;
    }
  }
  return hits;
}

export function precisionAtK(
  recommended: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  return hitsIn(recommended, relevant, k) / k;
}

export function recallAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return relevant.size === 0 ? 0 : hitsIn(recommended, relevant, k) / relevant.size;
}

export function ndcgAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  const n = Math.min(k, recommended.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(recommended[i]!)) {
      dcg += 1 / Math.log2(i + 2);
    }
  }
  const ideal = Math.min(k, relevant.size);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) {
    idcg += 1 / Math.log2(i + 2);
  }
  return idcg === 0 ? 0 : dcg / idcg;
}

export function averagePrecisionAtK(
  recommended: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  const n = Math.min(k, recommended.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(recommended[i]!)) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  const denominator = Math.min(k, relevant.size);
  return denominator === 0 ? 0 : sum / denominator;
}

/** Share of the catalogue that appears in at least one of the first-k lists. */
export function catalogCoverage(lists: readonly ArrayLike<number>[], k: number, catalogSize: number): number {
  const seen = new Set<number>();
  for (const list of lists) {
    const n = Math.min(k, list.length);
    for (let i = 0; i < n; i++) {
      seen.add(list[i]!);
    }
  }
  return catalogSize === 0 ? 0 : seen.size / catalogSize;
}

/**
 * Averages every metric over users. `lists[u]` is user u's ranked list (best first) and `relevant[u]` the
 * held-out items of user u; both indexed the same way.
 */
export function evaluateRanking(
  lists: readonly ArrayLike<number>[],
  relevant: readonly ReadonlySet<number>[],
  k: number,
  catalogSize: number,
): RankingMetrics {
  if (lists.length !== relevant.length) {
    throw new Error(`evaluateRanking: ${lists.length} lists but ${relevant.length} relevant sets`);
  }
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  let users = 0;
  for (let u = 0; u < lists.length; u++) {
    const rel = relevant[u]!;
    if (rel.size === 0) {
      continue;
    }
    const list = lists[u]!;
    precision += precisionAtK(list, rel, k);
    recall += recallAtK(list, rel, k);
    ndcg += ndcgAtK(list, rel, k);
    map += averagePrecisionAtK(list, rel, k);
    users++;
  }
  const d = users === 0 ? 1 : users;
  return {
    precision: precision / d,
    recall: recall / d,
    ndcg: ndcg / d,
    map: map / d,
    coverage: catalogCoverage(lists, k, catalogSize),
    users,
    k,
  };
}
