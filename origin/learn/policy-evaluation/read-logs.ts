/**
 * Decision and reward logs from NDJSON files (one record per line, as the edge ships them). Decisions are
 * schema-checked here (a line that does not parse is counted, never guessed at); rewards are passed on raw,
 * because the join validates them and counts out-of-range ones with the rest of its reward semantics.
 */
import { readFile } from "node:fs/promises";
import { DecisionRecord } from "../../../models/contracts/decision.ts";

export interface DecisionLog {
  decisions: DecisionRecord[];
  /** Lines that are not JSON or not a valid decision record. */
  invalidLines: number;
}

export interface RewardLog {
  rewards: unknown[];
  /** Lines that are not JSON. */
  invalidLines: number;
}

function* ndjsonValues(text: string): Generator<{ ok: true; value: unknown } | { ok: false }> {
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      continue;
    }
    try {
      yield { ok: true, value: JSON.parse(line) };
    } catch {
      yield { ok: false };
    }
  }
}

export async function readDecisionLog(path: string): Promise<DecisionLog> {
  const log: DecisionLog = { decisions: [], invalidLines: 0 };
  for (const line of ndjsonValues(await readFile(path, "utf8"))) {
    const parsed = line.ok ? DecisionRecord.safeParse(line.value) : null;
    if (parsed?.success) {
      log.decisions.push(parsed.data);
    } else {
      log.invalidLines++;
    }
  }
  return log;
}

export async function readRewardLog(path: string): Promise<RewardLog> {
  const log: RewardLog = { rewards: [], invalidLines: 0 };
  for (const line of ndjsonValues(await readFile(path, "utf8"))) {
    if (line.ok) {
      log.rewards.push(line.value);
    } else {
      log.invalidLines++;
    }
  }
  return log;
}
