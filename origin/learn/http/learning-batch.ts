/**
 * One decision or reward batch, after the body is read: validate each record with the contract the edge
 * uses (models/contracts/decision.ts), store the valid ones once each (decision_id; decision_id +
 * event_id), and report per record, in the shape of the events endpoint's answer so the edge's delivery
 * code reads both alike. Rewards out of [-1, 1] or otherwise malformed are refused here, by index: they
 * never reach the join. As for events, a record the store refuses is isolated and rejected on its own;
 * only an unreachable store makes the batch a 503.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  ApiError,
  DECISION_LIMITS,
  describeIssues,
  nestingProblem,
} from "../../../models/contracts/index.ts";
import {
  type ParsedRecord,
  storeUnavailable,
  tallyStored,
  writeIsolatingRefusals,
} from "../../ingest/index.ts";
import type { StoredBatch } from "../index.ts";

export interface LearningBatchResult {
  batch_id: string;
  received: number;
  stored: number;
  duplicates: { index: number; decision_id: string; event_id?: string }[];
  rejected: { index: number; decision_id: string | null; line?: number; error: string }[];
  message: string;
}

/** A string field that could be an id (within the id length), for the report; null otherwise. */
function field(value: unknown, name: string): string | null {
  if (value !== null && typeof value === "object" && name in value) {
    const v = (value as Record<string, unknown>)[name];
    return typeof v === "string" && v.length <= DECISION_LIMITS.idChars ? v : null;
  }
  return null;
}

export async function learningBatch<T extends { decision_id: string; event_id?: string }>(
  parsed: readonly ParsedRecord[],
  schema: z.ZodType<T>,
  store: (records: T[]) => Promise<StoredBatch>,
  maxRecords: number,
  what: "decisions" | "rewards",
  /** Whether the store still answers, asked before a refusal is believed; default: it does. */
  reachable: () => Promise<boolean> = async () => true,
): Promise<{ status: 200 | 422; body: LearningBatchResult }> {
  if (parsed.length === 0) {
    throw new ApiError(400, "empty_batch", `the batch holds no ${what}`);
  }
  if (parsed.length > maxRecords) {
    throw new ApiError(
      413,
      "too_many_records",
      `the batch holds ${parsed.length} ${what}; at most ${maxRecords} are accepted per batch`,
    );
  }
  const valid: T[] = [];
  const validIndex: number[] = [];
  const rejected: LearningBatchResult["rejected"] = [];
  parsed.forEach((item, index) => {
    if (!item.ok) {
      rejected.push({ index, decision_id: null, line: item.line, error: item.error });
      return;
    }
    const tooDeep = nestingProblem(item.value, DECISION_LIMITS.recordDepth);
    const result = tooDeep === null ? schema.safeParse(item.value) : null;
    if (result?.success) {
      valid.push(result.data);
      validIndex.push(index);
    } else {
      rejected.push({
        index,
        decision_id: field(item.value, "decision_id"),
        ...(item.line === undefined ? {} : { line: item.line }),
        error: result ? describeIssues(result.error) : tooDeep!,
      });
    }
  });
  let outcome: Awaited<ReturnType<typeof writeIsolatingRefusals<StoredBatch>>> = {
    stored: [],
    refused: [],
  };
  if (valid.length > 0) {
    try {
      outcome = await writeIsolatingRefusals(
        valid.length,
        (positions) => store(positions.map((v) => valid[v]!)),
        reachable,
      );
    } catch (error) {
      throw storeUnavailable(error);
    }
  }
  const { storedCount, duplicatePositions } = tallyStored(outcome.stored);
  const duplicates: LearningBatchResult["duplicates"] = duplicatePositions.map((v) => {
    const record = valid[v]!;
    return {
      index: validIndex[v]!,
      decision_id: record.decision_id,
      ...(record.event_id === undefined ? {} : { event_id: record.event_id }),
    };
  });
  for (const { position, message } of outcome.refused) {
    const index = validIndex[position]!;
    const line = parsed[index]!.line;
    rejected.push({
      index,
      decision_id: valid[position]!.decision_id,
      ...(line === undefined ? {} : { line }),
      error: `the store refused the record: ${message}`,
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  duplicates.sort((a, b) => a.index - b.index);
  const body: LearningBatchResult = {
    batch_id: randomUUID(),
    received: parsed.length,
    stored: storedCount,
    duplicates,
    rejected,
    message: `stored ${storedCount} of ${parsed.length} ${what}; ${duplicates.length} duplicate(s); ${rejected.length} rejected`,
  };
  return { status: storedCount + duplicates.length === 0 ? 422 : 200, body };
}
