import { evaluateRanking, type RankingMetrics } from "../evaluation/index.ts";
import { type CsrMatrix, rowIndices } from "./csr.ts";
import { type EaseModel, scoreEase } from "./ease.ts";
import { type MfModel, scoreMf } from "./ials.ts";
import { topK } from "./top-k.ts";

/**
 * What every recommender looks like to evaluation and tuning: fill `out` (one score per catalogue item,
 * -Infinity for "cannot score") for `user`, whose training history is `history`. Seen items are removed by
 * the caller, not the scorer.
 */
export type UserScorer = (user: number, history: Int32Array, out: Float32Array) => void;

export function popularityScorer(popularity: Float32Array): UserScorer {
  return (_user, _history, out) => {
    out.set(popularity);
  };
}

export function mfScorer(model: MfModel): UserScorer {
  return (user, _history, out) => {
    scoreMf(model, user, out);
  };
}

/** EASE over its head items; users with no head item in their history get the fallback's scores. */
export function easeScorer(model: EaseModel, fallback: UserScorer): UserScorer {
  return (user, history, out) => {
    if (scoreEase(model, history, out) === 0) {
      fallback(user, history, out);
    }
  };
}

/** Top-k unseen items for each user (all rows of `train` unless `users` is given). */
export function recommendAll(
  score: UserScorer,
  train: CsrMatrix,
  k: number,
  users?: ArrayLike<number>,
): Int32Array[] {
  const out = new Float32Array(train.cols);
  const mask = new Uint8Array(train.cols);
  const count = users ? users.length : train.rows;
  const lists: Int32Array[] = [];
  for (let t = 0; t < count; t++) {
    const u = users ? users[t]! : t;
    const history = rowIndices(train, u);
    score(u, history, out);
    lists.push(topK(out, k, history, mask));
  }
  return lists;
}

/** Ranking metrics of a scorer: train items are excluded, the test matrix's rows are the relevant sets. */
export function evaluateRecommender(
  score: UserScorer,
  train: CsrMatrix,
  test: CsrMatrix,
  k: number,
): RankingMetrics {
  const users: number[] = [];
  for (let u = 0; u < test.rows; u++) {
    if (test.offsets[u + 1]! > test.offsets[u]!) {
      users.push(u);
    }
  }
  const lists = recommendAll(score, train, k, users);
  const relevant = users.map((u) => new Set(rowIndices(test, u)));
  return evaluateRanking(lists, relevant, k, train.cols);
}
