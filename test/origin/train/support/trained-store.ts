/**
 * An in-memory PGlite holding a generated shop (taste clusters, reviews, purchases), for the pipeline
 * tests: records go in through the store, as the ingestion endpoint would put them.
 */
import { IngestRecord } from "../../../../models/contracts/index.ts";
import { generateTasteClusterData, type TasteClusterData } from "../../../../origin/dev/sample-data/index.ts";
import {
  createSqlEventStore,
  type EventStore,
  openPgliteDatabase,
  type SqlDatabase,
} from "../../../../origin/ingest/store/index.ts";
import type { TrainedRelease } from "../../../../origin/release/index.ts";
import { runTrainingPipeline } from "../../../../origin/train/index.ts";

export interface GeneratedStore {
  database: SqlDatabase;
  eventStore: EventStore;
  data: TasteClusterData;
  /** One hour after the newest event. */
  now: Date;
}

export async function openGeneratedStore(
  options: { users?: number; items?: number; seed?: number; endMs?: number } = {},
): Promise<GeneratedStore> {
  const endMs = options.endMs ?? Date.UTC(2026, 10, 20);
  const data = generateTasteClusterData({ users: 200, items: 120, seed: 3, ...options, endMs });
  const database = await openPgliteDatabase();
  await database.migrate();
  const eventStore = createSqlEventStore(database);
  await eventStore.insertBatch(data.records.map((record) => IngestRecord.parse(record)));
  return { database, eventStore, data, now: new Date(endMs + 3_600_000) };
}

/** A generated store and one training run over it, with the given run id. */
export async function trainGeneratedStore(
  runId: string,
  options: Parameters<typeof openGeneratedStore>[0] = {},
): Promise<{ store: GeneratedStore; release: TrainedRelease }> {
  const store = await openGeneratedStore(options);
  const release = await runTrainingPipeline({
    eventStore: store.eventStore,
    now: store.now,
    options: { runId },
  });
  return { store, release };
}
