/**
 * One ingestion batch, after the body is read: validate each record with the contract schema, keep the
 * raw payloads and item documents, store the valid records once each, and report per record.
 */
import { randomUUID } from "node:crypto";
import { describeIssues, IngestRecord } from "../../models/contracts/index.ts";
import type { ItemDocument, RawPayload, RawPayloadStore } from "../raw/index.ts";
import type { EventStore } from "../store/index.ts";
import { type HttpProblem, problem } from "./http-problem.ts";
import type { ParsedRecord } from "./parse-batch.ts";

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
}

function eventIdOf(value: unknown): string | null {
  if (
    value !== null &&
    typeof value === "object" &&
    "event_id" in value &&
    typeof value.event_id === "string"
  ) {
    return value.event_id;
  }
  return null;
}

function summary(result: Omit<BatchResult, "message">): string {
  const duplicates = result.duplicates.length;
  const rejected = result.rejected.length;
  return `stored ${result.stored} of ${result.received} records; ${duplicates} duplicate${
    duplicates === 1 ? "" : "s"
  }; ${rejected} rejected`;
}

export async function ingestBatch(
  parsed: readonly ParsedRecord[],
  deps: IngestDeps,
  maxEventsPerBatch: number,
): Promise<{ status: 200 | 422; body: BatchResult } | HttpProblem> {
  if (parsed.length === 0) {
    return problem(400, "empty_batch", "the batch holds no records");
  }
  if (parsed.length > maxEventsPerBatch) {
    return problem(
      413,
      "too_many_events",
      `the batch holds ${parsed.length} records; at most ${maxEventsPerBatch} are accepted per batch`,
    );
  }
  const batchId = randomUUID();
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
    const result = IngestRecord.safeParse(item.value);
    if (result.success) {
      valid.push(result.data);
      validIndex.push(index);
    } else {
      rejected.push({
        index,
        event_id: eventId,
        ...(item.line === undefined ? {} : { line: item.line }),
        error: describeIssues(result.error),
      });
    }
    payloads.push({ position: index, eventId, accepted: result.success, payload: item.value });
  }

  const itemDocuments: ItemDocument[] = valid.flatMap((record) => {
    if (record.type !== "item") {
      return [];
    }
    const { event_id, ts, type, item_id, ...document } = record;
    return [{ eventId: event_id, itemId: item_id, tsMs: ts, document }];
  });
  try {
    // Raw payloads first: whatever happens to the batch next, what arrived is kept.
    await deps.rawStore.saveBatch({ batchId, receivedAt: new Date(), payloads });
    await deps.rawStore.saveItemDocuments(itemDocuments);
    const { storedCount, duplicateIndexes } = await deps.eventStore.insertBatch(valid);
    const partial = {
      batch_id: batchId,
      received: parsed.length,
      stored: storedCount,
      duplicates: duplicateIndexes.map((i) => ({ index: validIndex[i]!, event_id: valid[i]!.event_id })),
      rejected,
    };
    return { status: valid.length === 0 ? 422 : 200, body: { ...partial, message: summary(partial) } };
  } catch (error) {
    return problem(
      503,
      "store_unavailable",
      `the batch was not stored (${(error as Error).message}); send it again: batches are idempotent`,
    );
  }
}
