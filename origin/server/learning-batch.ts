/**
 * One decision or reward batch, after the body is read: validate each record with the contract the edge
 * uses (models/contracts/decision.ts), store the valid ones once each (decision_id; decision_id +
 * event_id), and report per record, in the shape of the events endpoint's answer so the edge's delivery
 * code reads both alike. Rewards out of [-1, 1] or otherwise malformed are refused here, by index: they
 * never reach the join.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { describeIssues } from "../../models/contracts/index.ts";
import type { StoredBatch } from "../learning/index.ts";
import { type HttpProblem, problem } from "./http-problem.ts";
import type { ParsedRecord } from "./parse-batch.ts";

export interface LearningBatchResult {
  batch_id: string;
  received: number;
  stored: number;
  duplicates: { index: number; decision_id: string; event_id?: string }[];
  rejected: { index: number; decision_id: string | null; line?: number; error: string }[];
  message: string;
}

function field(value: unknown, name: string): string | null {
  if (value !== null && typeof value === "object" && name in value) {
    const v = (value as Record<string, unknown>)[name];
    return typeof v === "string" ? v : null;
  }
  return null;
}

export async function learningBatch<T extends { decision_id: string; event_id?: string }>(
  parsed: readonly ParsedRecord[],
  schema: z.ZodType<T>,
  store: (records: T[]) => Promise<StoredBatch>,
  maxRecords: number,
  what: "decisions" | "rewards",
): Promise<{ status: 200 | 422; body: LearningBatchResult } | HttpProblem> {
  if (parsed.length === 0) {
    return problem(400, "empty_batch", `the batch holds no ${what}`);
  }
  if (parsed.length > maxRecords) {
    return problem(
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
    const result = schema.safeParse(item.value);
    if (result.success) {
      valid.push(result.data);
      validIndex.push(index);
    } else {
      rejected.push({
        index,
        decision_id: field(item.value, "decision_id"),
        ...(item.line === undefined ? {} : { line: item.line }),
        error: describeIssues(result.error),
      });
    }
  });
  try {
    const { storedCount, duplicateIndexes } =
      valid.length === 0 ? { storedCount: 0, duplicateIndexes: [] } : await store(valid);
    const duplicates = duplicateIndexes.map((i) => ({
      index: validIndex[i]!,
      decision_id: valid[i]!.decision_id,
      ...(valid[i]!.event_id === undefined ? {} : { event_id: valid[i]!.event_id }),
    }));
    const body: LearningBatchResult = {
      batch_id: randomUUID(),
      received: parsed.length,
      stored: storedCount,
      duplicates,
      rejected,
      message: `stored ${storedCount} of ${parsed.length} ${what}; ${duplicates.length} duplicate(s); ${rejected.length} rejected`,
    };
    return { status: valid.length === 0 ? 422 : 200, body };
  } catch (error) {
    return problem(
      503,
      "store_unavailable",
      `the batch was not stored (${(error as Error).message}); send it again: batches are idempotent`,
    );
  }
}
