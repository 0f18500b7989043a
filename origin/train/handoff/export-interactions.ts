/**
 * The hand-off past one machine: the interactions the recommender trains on, written as Parquet that
 * Spark MLlib ALS (implicitPrefs), Python `implicit` or BigQuery ML's implicit matrix factorization read
 * as they are. Three files in one folder:
 *
 *   interactions.parquet  user_index INT32, item_index INT32, confidence FLOAT, events INT32
 *                         one row per (user, item) pair, sorted by user then item
 *   users.parquet         user_index INT32, user_id STRING   (user_index 0 … users-1)
 *   items.parquet         item_index INT32, item_id STRING   (item_index 0 … items-1)
 *
 * `confidence` is the pair's summed event weight, exactly the matrix iALS fits here (a view 1, a click 2,
 * a cart 4, a purchase 8, a rating by its value, summed over the pair's events); `events` is how many
 * events the pair had, for engines that want their own confidence (1 + α·log(1 + events)). The window and
 * the rules for rows a run leaves out are the training pipeline's, so the export is what `edgewise
 * train` would have trained on. Users and items with no pair in the window are in the id maps too.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import type { ValueRanges } from "../../../models/contracts/index.ts";
import type { EventStore } from "../../ingest/index.ts";
import { NoTrainingDataError } from "../../release/index.ts";
import { interactionPairs } from "../pipeline/interaction-matrix.ts";
import { readInteractions } from "../pipeline/read-interactions.ts";
import { resolveTrainingWindow, type TrainingWindowOptions } from "../pipeline/training-window.ts";

export const EXPORT_FILES = {
  interactions: "interactions.parquet",
  users: "users.parquet",
  items: "items.parquet",
} as const;

export interface ExportSummary {
  dir: string;
  users: number;
  items: number;
  pairs: number;
  events: number;
  /** The window's description (training-window.ts). */
  window: string;
}

export async function exportInteractions(
  store: EventStore,
  dir: string,
  options: { window?: TrainingWindowOptions; ranges?: ValueRanges } = {},
): Promise<ExportSummary> {
  const window = await resolveTrainingWindow(store, options.window);
  if (window === null) {
    throw new NoTrainingDataError("no interactions are stored");
  }
  const log = await readInteractions(store, {
    ...(window.sinceMs === undefined ? {} : { sinceMs: window.sinceMs }),
    untilMs: window.untilMs,
    ...(options.ranges === undefined ? {} : { ranges: options.ranges }),
  });
  const { weights, counts } = interactionPairs(log);
  const pairs = weights.indices.length;
  if (pairs === 0) {
    throw new NoTrainingDataError(`no interactions with items in the window (${window.description})`);
  }
  const userIndex = new Int32Array(pairs);
  for (let u = 0; u < weights.rows; u++) {
    userIndex.fill(u, weights.offsets[u]!, weights.offsets[u + 1]!);
  }
  await mkdir(dir, { recursive: true });
  parquetWriteFile({
    filename: path.join(dir, EXPORT_FILES.interactions),
    columnData: [
      { name: "user_index", data: userIndex, type: "INT32", nullable: false },
      { name: "item_index", data: weights.indices, type: "INT32", nullable: false },
      { name: "confidence", data: weights.values, type: "FLOAT", nullable: false },
      { name: "events", data: Int32Array.from(counts), type: "INT32", nullable: false },
    ],
    rowGroupSize: 1_000_000,
  });
  const idMap = (file: string, index: string, id: string, ids: string[]) =>
    parquetWriteFile({
      filename: path.join(dir, file),
      columnData: [
        { name: index, data: Int32Array.from(ids, (_, i) => i), type: "INT32", nullable: false },
        { name: id, data: ids, type: "STRING", nullable: false },
      ],
      rowGroupSize: 1_000_000,
    });
  idMap(
    EXPORT_FILES.users,
    "user_index",
    "user_id",
    log.users.map((user) => user.userId),
  );
  idMap(
    EXPORT_FILES.items,
    "item_index",
    "item_id",
    log.items.map((item) => item.itemId),
  );
  return {
    dir,
    users: log.users.length,
    items: log.items.length,
    pairs,
    events: log.length,
    window: window.description,
  };
}
