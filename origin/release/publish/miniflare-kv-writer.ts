/**
 * KvWriter over a local edge's KV (`edge.kv("MODELS")` from startLocalEdge): the local stack and the
 * tests publish through the same workerd KV the Worker reads.
 */
import { assertValidPairs } from "./kv-limits.ts";
import { describeKeys, type KvWriter, KvWriterError, toKvKeyInfo } from "./kv-writer.ts";

/**
 * The subset of Workers KV the origin writes through locally: a local edge's binding
 * (`edge.kv("MODELS")`) or the persisted KV opened without a Worker (open-local-kv.ts).
 */
export interface KVNamespaceLike {
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: string, type: "text"): Promise<string | null>;
  put(
    key: string,
    value: string | ArrayBuffer | Uint8Array,
    options?: { expirationTtl?: number; metadata?: unknown },
  ): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    keys: Array<{ name: string; expiration?: number; metadata?: unknown }>;
    list_complete: boolean;
    cursor?: string;
  }>;
}

export interface MiniflareKvWriterOptions {
  /** Keys per list page (KV allows 1 to 1000). */
  listPageSize?: number;
  /** Puts or deletes in flight at once: the binding has no bulk call, and one at a time is slow. */
  concurrency?: number;
}

export function createMiniflareKvWriter(
  kv: KVNamespaceLike,
  options: MiniflareKvWriterOptions = {},
): KvWriter {
  const listPageSize = options.listPageSize ?? 1000;
  const concurrency = options.concurrency ?? 16;
  return {
    async putMany(pairs) {
      assertValidPairs(pairs);
      const failures = await runLimited(pairs, concurrency, (pair) =>
        kv.put(pair.key, pair.value, {
          ...(pair.expirationTtlSeconds === undefined ? {} : { expirationTtl: pair.expirationTtlSeconds }),
          ...(pair.metadata === undefined ? {} : { metadata: pair.metadata }),
        }),
      );
      throwIfFailed("put", pairs.length, failures, (pair) => pair.key);
    },
    getText: (key) => kv.get(key, "text"),
    async getBytes(key) {
      const buffer = await kv.get(key, "arrayBuffer");
      return buffer === null ? null : new Uint8Array(buffer);
    },
    async deleteMany(keys) {
      const failures = await runLimited(keys, concurrency, (key) => kv.delete(key));
      throwIfFailed("delete", keys.length, failures, (key) => key);
    },
    async *listKeys(prefix) {
      let cursor: string | undefined;
      do {
        const page = await kv.list({ prefix, limit: listPageSize, ...(cursor ? { cursor } : {}) });
        yield page.keys.map(toKvKeyInfo);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    },
  };
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<Array<{ item: T; error: unknown }>> {
  const failures: Array<{ item: T; error: unknown }> = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await run(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  });
  await Promise.all(lanes);
  return failures;
}

function throwIfFailed<T>(
  operation: string,
  total: number,
  failures: Array<{ item: T; error: unknown }>,
  keyOf: (item: T) => string,
): void {
  if (failures.length === 0) {
    return;
  }
  const keys = failures.map((failure) => keyOf(failure.item));
  const first = failures[0]!.error;
  throw new KvWriterError(
    `${failures.length} of ${total} local KV ${operation}s failed (${describeKeys(keys)}): ${
      first instanceof Error ? first.message : String(first)
    }`,
    keys,
  );
}
