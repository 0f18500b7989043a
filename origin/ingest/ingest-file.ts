/**
 * Streams a file of records into the stores in batches: validated by the contract schema, item records'
 * documents to the raw store, everything valid to the event store (idempotent, so a file can be ingested
 * again after an interruption). The file itself is the raw copy, so raw payloads are not duplicated.
 * The rules are the endpoint's: a record the contract refuses, or that the store refuses on its own
 * (isolated by halving its batch), is counted rejected and the rest stored; an unreachable store stops
 * the run with its error, and running it again stores nothing twice.
 */
import {
  IngestRecord,
  type IngestRecordSchema,
  parseIngestRecord,
  plainInteraction,
  valueRangesOf,
} from "../../models/contracts/index.ts";
import { openRecordSource, type RecordSourceOptions, type SourceProgress } from "./open-record-source.ts";
import type { ItemDocument, RawPayloadStore } from "./raw/index.ts";
import type { FileFormat } from "./record-sources.ts";
import { type EventStore, type InsertBatchResult, writeIsolatingRefusals } from "./store/index.ts";

export interface IngestFileOptions extends RecordSourceOptions {
  /** Records per store transaction; default 5,000. */
  batchSize?: number;
  /** Called after each batch with how far the file is read and the running summary. */
  onProgress?: (progress: SourceProgress, summary: IngestSummary) => void;
  /** How many rejection messages to keep for the report; default 20. */
  keepErrors?: number;
  /** Called with every rejection, in file order (the summary keeps only the first `keepErrors`). */
  onRejected?: (where: string, message: string) => void;
  /** The contract with the origin's value ranges; default the shared one. */
  recordSchema?: IngestRecordSchema;
}

export interface IngestSummary {
  format: FileFormat;
  sizeBytes: number;
  /** Records read, and rows that could not be one (rejected) or were left out (skipped). */
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Rows deliberately not imported (an event kind with no Edgewise meaning), by reason. */
  skipped: number;
  skippedReasons: Record<string, number>;
  /** The first rejections, with where they were. */
  errors: string[];
}

export async function ingestFile(
  path: string,
  stores: { eventStore: EventStore; rawStore: RawPayloadStore },
  options: IngestFileOptions = {},
): Promise<IngestSummary> {
  const source = await openRecordSource(path, options);
  const batchSize = options.batchSize ?? 5000;
  const keepErrors = options.keepErrors ?? 20;
  const summary: IngestSummary = {
    format: source.format,
    sizeBytes: source.sizeBytes,
    read: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    skipped: 0,
    skippedReasons: {},
    errors: [],
  };
  const noun = source.format === "parquet" ? "row" : "line";

  const reject = (where: string, message: string) => {
    summary.rejected++;
    if (summary.errors.length < keepErrors) {
      summary.errors.push(`${where}: ${message}`);
    }
    options.onRejected?.(where, message);
  };
  const schema = options.recordSchema ?? IngestRecord;
  // The records a mapped row becomes are checked by the contract's rules without zod (the schema is
  // asked about any other record, and about one those rules would refuse, for its message).
  const ranges = valueRangesOf(schema);
  let batch: IngestRecord[] = [];
  let wheres: string[] = [];
  /** Item documents with their records: in the event transaction where the raw store allows it. */
  const write = async (records: IngestRecord[]): Promise<InsertBatchResult> => {
    const documents: ItemDocument[] = records.flatMap((record) => {
      if (record.type !== "item") {
        return [];
      }
      const { event_id, ts, type, item_id, ...document } = record;
      return [{ eventId: event_id, itemId: item_id, tsMs: ts, document }];
    });
    const step = stores.rawStore.inEventTransaction?.(
      { batchId: "file", receivedAt: new Date(), payloads: [] },
      documents,
    );
    if (step === undefined) {
      await stores.rawStore.saveItemDocuments(documents);
    }
    return stores.eventStore.insertBatch(records, step);
  };
  const flush = async () => {
    if (batch.length === 0) {
      return;
    }
    const records = batch;
    const outcome = await writeIsolatingRefusals(
      records.length,
      (positions) => write(positions.map((p) => records[p]!)),
      () =>
        stores.eventStore.ping().then(
          () => true,
          () => false,
        ),
    );
    for (const { result } of outcome.stored) {
      summary.stored += result.storedCount;
      summary.duplicates += result.duplicateIndexes.length;
    }
    for (const { position, message } of outcome.refused) {
      reject(wheres[position]!, `the store refused the record: ${message}`);
    }
    batch = [];
    wheres = [];
    options.onProgress?.(source.progress(), summary);
  };

  for await (const item of source.items) {
    const where = item.line === undefined ? `record ${summary.read}` : `${noun} ${item.line}`;
    summary.read++;
    if ("skipped" in item) {
      summary.skipped++;
      summary.skippedReasons[item.skipped] = (summary.skippedReasons[item.skipped] ?? 0) + 1;
      continue;
    }
    if (!item.ok) {
      reject(where, item.error);
      continue;
    }
    let record = ranges === undefined ? null : plainInteraction(item.value, ranges);
    if (record === null) {
      const parsed = parseIngestRecord(item.value, schema);
      if (!parsed.success) {
        reject(where, parsed.error);
        continue;
      }
      record = parsed.data;
    }
    batch.push(record);
    wheres.push(where);
    if (batch.length >= batchSize) {
      await flush();
    }
  }
  await flush();
  const { total, unit } = source.progress();
  options.onProgress?.({ done: total, total, unit }, summary);
  return summary;
}
