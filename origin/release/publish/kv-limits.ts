import { type KvPair, KvWriterError } from "./kv-writer.ts";

/** Workers KV's documented limits; both backends check them so they fail the same way, before writing. */
export const kvLimits = {
  keyBytes: 512,
  valueBytes: 25 * 1024 * 1024,
  metadataBytes: 1024,
  minExpirationTtlSeconds: 60,
} as const;

const encoder = new TextEncoder();

export function valueSizeBytes(value: KvPair["value"]): number {
  return typeof value === "string" ? Buffer.byteLength(value) : value.length;
}

/**
 * Refuses the whole call when any pair breaks a KV limit or a key repeats (one call writing a key twice
 * has no defined winner, and KV allows one write per second per key), so nothing is half-written.
 */
export function assertValidPairs(pairs: readonly KvPair[]): void {
  const seen = new Set<string>();
  const problems: Array<{ key: string; reason: string }> = [];
  for (const pair of pairs) {
    const reason = seen.has(pair.key) ? "appears twice in one write" : pairProblem(pair);
    seen.add(pair.key);
    if (reason) {
      problems.push({ key: pair.key, reason });
    }
  }
  if (problems.length > 0) {
    const detail = problems
      .slice(0, 5)
      .map((problem) => `'${problem.key}': ${problem.reason}`)
      .join("; ");
    throw new KvWriterError(
      `refusing to write ${pairs.length} KV pairs: ${problems.length} invalid (${detail})`,
      problems.map((problem) => problem.key),
    );
  }
}

function pairProblem(pair: KvPair): string | null {
  const keyReason = keyProblem(pair.key);
  if (keyReason) {
    return keyReason;
  }
  const sizeBytes = valueSizeBytes(pair.value);
  if (sizeBytes > kvLimits.valueBytes) {
    return `value of ${sizeBytes} bytes exceeds KV's ${kvLimits.valueBytes}`;
  }
  if (pair.metadata && encoder.encode(JSON.stringify(pair.metadata)).length > kvLimits.metadataBytes) {
    return `metadata exceeds KV's ${kvLimits.metadataBytes} bytes`;
  }
  const ttl = pair.expirationTtlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= kvLimits.minExpirationTtlSeconds)) {
    return `expiration TTL must be a whole number of seconds, at least ${kvLimits.minExpirationTtlSeconds}`;
  }
  return null;
}

export function keyProblem(key: string): string | null {
  if (key === "" || key === "." || key === "..") {
    return "KV keys cannot be empty, '.' or '..'";
  }
  const bytes = encoder.encode(key).length;
  return bytes > kvLimits.keyBytes ? `key of ${bytes} bytes exceeds KV's ${kvLimits.keyBytes}` : null;
}
