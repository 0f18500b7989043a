/**
 * `edgewise eval recs` on the pipeline's own step: the training file's events are weighed as the pipeline
 * weighs stored events (eventWeight), go through `trainRecommender` with the same options the pipeline gets
 * (trainingCycleSettings), and the model it would serve is scored on the test file the way the edge scores
 * it (int8 vectors, every training item of the user excluded, every catalogue item a candidate). So the
 * figure is the served model's offline figure. Test rows the model cannot be asked about (a user or an item
 * the training file does not have) are counted and reported, never silently dropped.
 */
import type { InteractionLog as FileLog, RawInteraction } from "../datasets/interaction-log.ts";
import { indexInteractions } from "../datasets/interaction-log.ts";
import type { RankingMetrics } from "../evaluation/index.ts";
import {
  buildCsr,
  type CsrMatrix,
  describeCandidate,
  evaluateRecommender,
  pairData,
  popularityScorer,
  rowIndices,
  servedScorer,
  trainPopularity,
} from "../recs/index.ts";
import { eventWeight } from "./interaction-matrix.ts";
import { type RecsStepOptions, trainRecommender } from "./train-recommender.ts";

export interface RecsFileEvaluation {
  k: number;
  train: { users: number; items: number; events: number; pairs: number };
  test: {
    rows: number;
    /** distinct (user, item) pairs scored */
    pairs: number;
    usersEvaluated: number;
    unknownUserRows: number;
    /** rows whose item the training file does not have: no model can rank it, the edge's catalogue lacks it */
    unseenItemRows: number;
    unseenItems: number;
    /** pairs the user already has in training (seen items are never recommended) */
    alreadyInTrain: number;
  };
  served: {
    kind: string;
    model: string;
    test: RankingMetrics;
    /** what the pipeline records and gates on: the validation split of the training data */
    validation: Record<string, number>;
    refused: string | null;
  };
  popularity: { test: RankingMetrics };
  tuning: {
    fits: number;
    tunedUsers: number;
    tuneSeconds: number;
    fitSeconds: number;
    trials: { model: string; ndcg: number; fitSeconds: number }[];
  };
  notes: string[];
}

/** Test pairs minus the ones each user has in training, as a binary CSR. */
function unseenTestPairs(test: CsrMatrix, train: CsrMatrix): { test: CsrMatrix; alreadyInTrain: number } {
  const offsets = new Int32Array(test.rows + 1);
  const kept: number[] = [];
  let alreadyInTrain = 0;
  for (let u = 0; u < test.rows; u++) {
    const seen = new Set(rowIndices(train, u));
    for (const item of rowIndices(test, u)) {
      if (seen.has(item)) {
        alreadyInTrain++;
      } else {
        kept.push(item);
      }
    }
    offsets[u + 1] = kept.length;
  }
  const indices = Int32Array.from(kept);
  return {
    test: {
      rows: test.rows,
      cols: test.cols,
      offsets,
      indices,
      values: new Float32Array(indices.length).fill(1),
    },
    alreadyInTrain,
  };
}

export function evaluateRecsFiles(
  trainRows: readonly RawInteraction[],
  testRows: readonly RawInteraction[],
  options: RecsStepOptions = {},
): RecsFileEvaluation {
  const k = options.k ?? 10;
  const { log } = indexInteractions(trainRows);
  const users = new Set(log.userIds);
  const items = new Set(log.itemIds);
  let unknownUserRows = 0;
  let unseenItemRows = 0;
  const unseenItems = new Set<string>();
  for (const row of testRows) {
    if (!users.has(row.userId)) {
      unknownUserRows++;
    } else if (!items.has(row.itemId)) {
      unseenItemRows++;
      unseenItems.add(row.itemId);
    }
  }
  const { log: testLog } = indexInteractions(testRows, log);
  const pairs = pairData({ ...dims(log), user: log.user, item: log.item, weight: weights(log) });
  const tsMs = Float64Array.from(log.tsSeconds, (t) => t * 1000);
  let newest = Number.NEGATIVE_INFINITY;
  for (const t of tsMs) {
    newest = Math.max(newest, t);
  }
  const step = trainRecommender(pairs, { item: log.item, tsMs }, Number.isFinite(newest) ? newest + 1 : 0, {
    ...options,
    k,
  });
  const { test, alreadyInTrain } = unseenTestPairs(
    buildCsr({ ...dims(log), user: testLog.user, item: testLog.item }),
    pairs.weights,
  );
  const popularity = trainPopularity(pairs.weights);
  const scorer = step.mf ? servedScorer(step.mf, popularity) : popularityScorer(popularity);
  const served = evaluateRecommender(scorer, pairs.weights, test, k);
  const seconds = (name: string) => (step.refused?.metrics ?? step.metrics)[name] ?? 0;
  return {
    k,
    train: {
      users: log.users,
      items: log.items,
      events: log.user.length,
      pairs: pairs.weights.indices.length,
    },
    test: {
      rows: testRows.length,
      pairs: test.indices.length,
      usersEvaluated: served.users,
      unknownUserRows,
      unseenItemRows,
      unseenItems: unseenItems.size,
      alreadyInTrain,
    },
    served: {
      kind: step.kind,
      model: step.mf && step.candidate ? describeCandidate(step.candidate) : "popularity",
      test: served,
      validation: step.refused ? step.refused.metrics : step.metrics,
      refused: step.refused?.reason ?? null,
    },
    popularity: { test: evaluateRecommender(popularityScorer(popularity), pairs.weights, test, k) },
    tuning: {
      fits: step.trials.length,
      tunedUsers: seconds("tuned_users"),
      tuneSeconds: seconds("tune_seconds"),
      fitSeconds: seconds("fit_seconds"),
      trials: step.trials.map((t) => ({
        model: describeCandidate(t.candidate),
        ndcg: t.metrics.ndcg,
        fitSeconds: t.fitSeconds,
      })),
    },
    notes: step.notes,
  };
}

const dims = (log: FileLog) => ({ users: log.users, items: log.items });

function weights(log: FileLog): Float32Array {
  const out = new Float32Array(log.user.length);
  for (let e = 0; e < out.length; e++) {
    out[e] = eventWeight(log.typeCode[e]!, log.value[e]!);
  }
  return out;
}
