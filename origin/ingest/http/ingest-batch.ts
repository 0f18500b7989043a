/**
 * One ingestion batch, after the body is read: validate each record with the contract schema, keep the
 * raw payloads and item documents, store the valid records once each, and report per record.
 *
 * Errors are classified: a record the store refuses (for a reason that would not change on retry) is
 * isolated (origin/ingest/store/isolate-refusals.ts) and rejected by index like an invalid one, and the rest
 * are stored; only a store that cannot be reached makes the batch a 503 with Retry-After.
 */
import { randomUUID } from "node:crypto";
import {
  ApiError,
  eventIdOf,
  IngestRecord,
  type IngestRecordSchema,
  parseIngestRecord,
} from "../../../models/contracts/index.ts";
import type { ItemDocument, RawPayload, RawPayloadStore } from "../raw/index.ts";
import {
  type EventStore,
  type InsertBatchResult,
  type IsolatedWrite,
  isStoreUnreachable,
  tallyStored,
  writeIsolatingRefusals,
} from "../store/index.ts";
import type { ParsedRecord } from "./parse-batch.ts";
import { storeUnavailable } from "./store-unavailable.ts";

export interface BatchResult {
  batch_id: string;
  received: number;
  stored: number;
  duplicates: { index: number; event_id: string }[];
  rejected: { index: number; event_id: string | null; line?: number; error: string }[];
  message: string;
}

export interface IngestDeps {
  eventStore: EventStore;
  rawStore: RawPayloadStore;
  /** The contract with the origin's value ranges; default the shared one (DEFAULT_VALUE_RANGES). */
  recordSchema?: IngestRecordSchema;
}

function summary(result: Omit<BatchResult, "message">): string {
  const duplicates = result.duplicates.length;
  const rejected = result.rejected.length;
  return `stored ${result.stored} of ${result.received} records; ${duplicates} duplicate${
    duplicates === 1 ? "" : "s"
  }; ${rejected} rejected`;
}

function itemDocumentOf(record: IngestRecord): ItemDocument | null {
  if (record.type !== "item") {
    return null;
  }
  const { event_id, ts, type, item_id, ...document } = record;
  return { eventId: event_id, itemId: item_id, tsMs: ts, document };
}

/**
 * Writes records with raw payloads and item documents: in the event store's transaction when the raw
 * store lives in the same database (a retried batch then never leaves raw copies of a failed attempt),
 * else raw copies first (idempotent by record), so whatever happens next, what arrived is kept.
 */
async function writeWithRaw(
  deps: IngestDeps,
  batch: { batchId: string; receivedAt: Date },
  records: readonly IngestRecord[],
  payloads: RawPayload[],
  documents: ItemDocument[],
): Promise<InsertBatchResult> {
  const raw = { ...batch, payloads };
  const step = deps.rawStore.inEventTransaction?.(raw, documents);
  if (step === undefined) {
    await deps.rawStore.saveBatch(raw);
    await deps.rawStore.saveItemDocuments(documents);
  }
  return deps.eventStore.insertBatch(records, step);
}

/**
 * The raw copies of records that are not being stored (rejected, or refused by the store). Their write
 * failing for good costs no record, so it is logged; an unreachable store is still a 503 (thrown).
 */
async function keepRawCopies(
  deps: IngestDeps,
  batch: { batchId: string; receivedAt: Date },
  payloads: RawPayload[],
): Promise<void> {
  try {
    await writeWithRaw(deps, batch, [], payloads, []);
  } catch (error) {
    if (isStoreUnreachable(error)) {
      throw storeUnavailable(error);
    }
    console.error(`raw copies of batch ${batch.batchId} not kept: ${(error as Error).message}`);
  }
}

export async function ingestBatch(
  parsed: readonly ParsedRecord[],
  deps: IngestDeps,
  maxEventsPerBatch: number,
): Promise<{ status: 200 | 422; body: BatchResult }> {
  if (parsed.length === 0) {
    throw new ApiError(400, "empty_batch", "the batch holds no records");
  }
  if (parsed.length > maxEventsPerBatch) {
    throw new ApiError(
      413,
      "too_many_events",
      `the batch holds ${parsed.length} records; at most ${maxEventsPerBatch} are accepted per batch`,
    );
  }
  const schema = deps.recordSchema ?? IngestRecord;
  const batch = { batchId: randomUUID(), receivedAt: new Date() };
  const valid: IngestRecord[] = [];
  const validIndex: number[] = [];
  const rejected: BatchResult["rejected"] = [];
  const payloads: RawPayload[] = [];
  for (let index = 0; index < parsed.length; index++) {
    const item = parsed[index]!;
    if (!item.ok) {
      rejected.push({ index, event_id: null, line: item.line, error: item.error });
      payloads.push({ position: index, eventId: null, accepted: false, payload: item.text });
      continue;
    }
    const eventId = eventIdOf(item.value);
    const result = parseIngestRecord(item.value, schema);
    if (result.success) {
      valid.push(result.data);
      validIndex.push(index);
    } else {
      rejected.push({
        index,
        event_id: eventId,
        ...(item.line === undefined ? {} : { line: item.line }),
        error: result.error,
      });
    }
    payloads.push({ position: index, eventId, accepted: result.success, payload: item.value });
  }

  const partial: Omit<BatchResult, "message"> = {
    batch_id: batch.batchId,
    received: parsed.length,
    stored: 0,
    duplicates: [],
    rejected,
  };
  if (valid.length === 0) {
    await keepRawCopies(deps, batch, payloads);
    return { status: 422, body: { ...partial, message: summary(partial) } };
  }
  const documents = valid.map(itemDocumentOf);
  let outcome: IsolatedWrite<InsertBatchResult>;
  try {
    outcome = await writeIsolatingRefusals(
      valid.length,
      (positions, whole) =>
        whole
          ? writeWithRaw(
              deps,
              batch,
              valid,
              payloads,
              documents.filter((d) => d !== null),
            )
          : writeWithRaw(
              deps,
              batch,
              positions.map((v) => valid[v]!),
              positions.map((v) => payloads[validIndex[v]!]!),
              positions.flatMap((v) => documents[v] ?? []),
            ),
      () =>
        deps.eventStore.ping().then(
          () => true,
          () => false,
        ),
    );
  } catch (error) {
    throw storeUnavailable(error);
  }

  const { storedCount: stored, duplicatePositions } = tallyStored(outcome.stored);
  const duplicates: BatchResult["duplicates"] = duplicatePositions.map((v) => ({
    index: validIndex[v]!,
    event_id: valid[v]!.event_id,
  }));
  for (const { position, message } of outcome.refused) {
    const index = validIndex[position]!;
    const line = parsed[index]!.line;
    rejected.push({
      index,
      event_id: valid[position]!.event_id,
      ...(line === undefined ? {} : { line }),
      error: `the store refused the record: ${message}`,
    });
  }
  if (outcome.stored.length !== 1 || outcome.stored[0]!.positions.length !== valid.length) {
    // The batch was split: each part carried only its records' raw copies; keep the others now.
    const written = new Set(outcome.stored.flatMap((s) => s.positions.map((v) => validIndex[v]!)));
    await keepRawCopies(
      deps,
      batch,
      payloads.filter((p) => !written.has(p.position)),
    );
  }
  rejected.sort((a, b) => a.index - b.index);
  duplicates.sort((a, b) => a.index - b.index);
  partial.stored = stored;
  partial.duplicates = duplicates;
  const anyAccepted = stored + duplicates.length > 0;
  return { status: anyAccepted ? 200 : 422, body: { ...partial, message: summary(partial) } };
}
