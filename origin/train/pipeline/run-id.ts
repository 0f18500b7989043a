import { randomBytes } from "node:crypto";

/**
 * A training run's id, which is also the version of everything it trains: sortable by time, unique even
 * for two runs in the same second, and a valid KV key segment (letters, digits, '-').
 */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `r${stamp}-${randomBytes(3).toString("hex")}`;
}
