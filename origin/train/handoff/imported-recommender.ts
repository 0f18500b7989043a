/**
 * The recommender step of `edgewise import-factors`: factors fitted past this machine (Spark ALS,
 * `implicit`, BigQuery ML, or this trainer) in place of the fit, then the run goes on as a training run
 * does (catalogue, user features, candidates, gate, publish).
 *
 * The gate needs held-out data the factors never saw. The engine fitted on an export that ended at the
 * window's end (`export-interactions --until T`), so the store's interactions from T on are held out:
 * each user's new items there (those not already in the user's window history) are what the factors,
 * scored as the edge scores them (int8), and popularity over the window must rank. The factors serve
 * only if they beat popularity by BASELINE_MARGIN there, as the trainer's own fit must on its split.
 */
import type { ValueRanges } from "../../../models/contracts/index.ts";
import type { EventStore } from "../../ingest/index.ts";
import { DEFAULT_BASELINE_MARGIN, judgeBaseline } from "../../release/index.ts";
import { interactionMatrix } from "../pipeline/interaction-matrix.ts";
import type { InteractionLog } from "../pipeline/read-interactions.ts";
import { readInteractions } from "../pipeline/read-interactions.ts";
import {
  coldStartScores,
  metricsRecord,
  RECS_STEP_DEFAULTS,
  type RecommenderStep,
} from "../pipeline/train-recommender.ts";
import {
  buildCsr,
  type CsrMatrix,
  evaluateRecommender,
  type MfModel,
  popularityScorer,
  rowIndices,
  servedScorer,
} from "../recs/index.ts";
import { alignFactors } from "./align-factors.ts";
import type { FactorTable } from "./read-factor-file.ts";

export interface ImportedFactors {
  users: FactorTable;
  items: FactorTable;
  /** export-interactions' id files (index → id), for tables keyed by index. */
  exportIds?: { users: readonly string[]; items: readonly string[] };
}

export interface ImportedRecommenderOptions {
  /** Where the held-out interactions are read from: the store the run reads. */
  eventStore: EventStore;
  ranges?: ValueRanges;
  k?: number;
  baselineMargin?: number;
  /** Fewer users with held-out items than this: the gate cannot judge, and the import stops. */
  minHeldOutUsers?: number;
  trendingHalfLifeSeconds?: number;
}

/** The import cannot be judged: too few held-out interactions after the window. */
export class NoHeldOutDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoHeldOutDataError";
  }
}

export function importedRecommender(
  factors: ImportedFactors,
  options: ImportedRecommenderOptions,
): RecommenderStep {
  const k = options.k ?? 10;
  const margin = options.baselineMargin ?? DEFAULT_BASELINE_MARGIN;
  const minUsers = options.minHeldOutUsers ?? RECS_STEP_DEFAULTS.minEvaluableUsers;
  return async ({ pairs, log, nowMs, window }) => {
    const matrix = pairs.weights;
    const { popularity, trending } = coldStartScores(
      matrix,
      log,
      nowMs,
      options.trendingHalfLifeSeconds ?? RECS_STEP_DEFAULTS.trendingHalfLifeSeconds,
    );
    const userIds = log.users.map((user) => user.userId);
    const itemIds = log.items.map((item) => item.itemId);
    const users = alignFactors(factors.users, userIds, factors.exportIds?.users ?? null);
    const items = alignFactors(factors.items, itemIds, factors.exportIds?.items ?? null);
    const dim = factors.users.dim;
    const mf: MfModel = {
      users: userIds.length,
      items: itemIds.length,
      factors: dim,
      userFactors: users.values,
      itemFactors: items.values,
    };
    const heldOut = await heldOutMatrix(options, log, matrix, window.untilMs);
    const heldOutUsers = countRows(heldOut.test);
    const source = `imported factors (users ${factors.users.file}, items ${factors.items.file}, ${dim} wide)`;
    if (heldOutUsers < minUsers) {
      throw new NoHeldOutDataError(
        `cannot gate the imported factors: ${heldOutUsers} users have new items after the window's end ` +
          `(${new Date(window.untilMs).toISOString()}) and the baseline gate needs ${minUsers}; fit the factors on ` +
          "`export-interactions --until T` and import them with the same --until T, so the events after T are held out",
      );
    }
    const model = evaluateRecommender(servedScorer(mf, popularity), matrix, heldOut.test, k);
    const baselineMetrics = evaluateRecommender(popularityScorer(popularity), matrix, heldOut.test, k);
    const metrics = {
      ...metricsRecord(model),
      ...metricsRecord(baselineMetrics, "popularity_"),
      users_evaluated: model.users,
      held_out_pairs: heldOut.test.indices.length,
    };
    const baseline = { name: "popularity", value: baselineMetrics.ndcg };
    const verdict = judgeBaseline(`ndcg@${k}`, model.ndcg, baseline, margin);
    const notes = [
      `recs: ${source}: ${describeSide("users", users, userIds.length, rowsWithItems(matrix, users.covered))}; ` +
        `${describeSide("items", items, itemIds.length, itemsWithPairs(matrix, items.covered))}`,
      `recs: gated on ${heldOut.test.indices.length} held-out user-item pairs of ${model.users} users after ` +
        `${new Date(window.untilMs).toISOString()} (${heldOut.events} events)`,
    ];
    const common = { candidate: null, source, popularity, trending, trials: [], baseline };
    if (!verdict.beats) {
      notes.push(`recs: imported factors refused, popularity serves: ${verdict.reason}`);
      return {
        ...common,
        kind: "popularity",
        mf: null,
        metrics: metricsRecord(baselineMetrics),
        refused: { kind: "mf", metrics, reason: verdict.reason },
        notes,
      };
    }
    return { ...common, kind: "mf", mf, metrics, refused: null, notes };
  };
}

/**
 * The store's interactions at or after `sinceMs`, as a matrix over the window's users and items: for each
 * user, the items the window's history does not hold. Users and items that appeared after the window are
 * left out (neither the factors nor popularity know them).
 */
async function heldOutMatrix(
  options: ImportedRecommenderOptions,
  log: InteractionLog,
  window: CsrMatrix,
  sinceMs: number,
): Promise<{ test: CsrMatrix; events: number }> {
  const newestMs = (await options.eventStore.newestInteractionMs()) ?? sinceMs;
  const after = await readInteractions(options.eventStore, {
    sinceMs,
    untilMs: Math.max(sinceMs, newestMs + 1),
    ...(options.ranges === undefined ? {} : { ranges: options.ranges }),
  });
  const later = interactionMatrix(after);
  const userAt = new Map(log.users.map((user, u) => [user.userId, u]));
  const itemAt = new Map(log.items.map((item, i) => [item.itemId, i]));
  const user: number[] = [];
  const item: number[] = [];
  for (let lu = 0; lu < later.rows; lu++) {
    const u = userAt.get(after.users[lu]!.userId);
    if (u === undefined) {
      continue;
    }
    const seen = new Set(rowIndices(window, u));
    for (const li of rowIndices(later, lu)) {
      const i = itemAt.get(after.items[li]!.itemId);
      if (i !== undefined && !seen.has(i)) {
        user.push(u);
        item.push(i);
      }
    }
  }
  return {
    test: buildCsr({
      users: window.rows,
      items: window.cols,
      user: Int32Array.from(user),
      item: Int32Array.from(item),
    }),
    events: after.length,
  };
}

function countRows(m: CsrMatrix): number {
  let rows = 0;
  for (let r = 0; r < m.rows; r++) {
    rows += m.offsets[r + 1]! > m.offsets[r]! ? 1 : 0;
  }
  return rows;
}

/** Users with window pairs that the file gave no vector (they are answered from popularity). */
function rowsWithItems(m: CsrMatrix, covered: Uint8Array): number {
  let missing = 0;
  for (let r = 0; r < m.rows; r++) {
    missing += m.offsets[r + 1]! > m.offsets[r]! && covered[r] === 0 ? 1 : 0;
  }
  return missing;
}

/** Items with window pairs that the file gave no vector (the factors never rank them). */
function itemsWithPairs(m: CsrMatrix, covered: Uint8Array): number {
  const hasPairs = new Uint8Array(m.cols);
  for (const i of m.indices) {
    hasPairs[i] = 1;
  }
  let missing = 0;
  for (let i = 0; i < m.cols; i++) {
    missing += hasPairs[i] === 1 && covered[i] === 0 ? 1 : 0;
  }
  return missing;
}

function describeSide(
  name: string,
  aligned: { imported: number; skipped: Record<string, number> },
  known: number,
  activeWithout: number,
): string {
  const skipped = Object.entries(aligned.skipped).map(([reason, n]) => `${n} ${reason}`);
  return (
    `${aligned.imported} of ${known} ${name} imported` +
    (skipped.length > 0 ? `, rows skipped: ${skipped.join(", ")}` : "") +
    (activeWithout > 0 ? `, ${activeWithout} ${name} with interactions in the window have no vector` : "")
  );
}
