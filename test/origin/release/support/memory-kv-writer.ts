/**
 * A KvWriter over a Map, for tests of what the pipeline decides to publish (gate, carry-over, rollback
 * bookkeeping) without a workerd. The KV protocol itself is tested against real backends in
 * test/origin/publish (kv-writer.conformance.ts); the end-to-end test publishes to a real workerd.
 */
import type { KvKeyInfo, KvWriter, PublishTargets } from "../../../../origin/release/publish/index.ts";

export interface MemoryKv extends KvWriter {
  readonly entries: Map<string, { value: string | Uint8Array; metadata?: Record<string, unknown> }>;
}

export function createMemoryKvWriter(): MemoryKv {
  const entries: MemoryKv["entries"] = new Map();
  return {
    entries,
    async putMany(pairs) {
      for (const pair of pairs) {
        const value = typeof pair.value === "string" ? pair.value : pair.value.slice();
        entries.set(pair.key, pair.metadata === undefined ? { value } : { value, metadata: pair.metadata });
      }
    },
    async getText(key) {
      const entry = entries.get(key);
      if (!entry) {
        return null;
      }
      return typeof entry.value === "string" ? entry.value : new TextDecoder().decode(entry.value);
    },
    async getBytes(key) {
      const entry = entries.get(key);
      if (!entry) {
        return null;
      }
      return typeof entry.value === "string" ? new TextEncoder().encode(entry.value) : entry.value.slice();
    },
    async deleteMany(keys) {
      for (const key of keys) {
        entries.delete(key);
      }
    },
    async *listKeys(prefix) {
      const keys: KvKeyInfo[] = [...entries.keys()]
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((name) => {
          const metadata = entries.get(name)!.metadata;
          return metadata === undefined ? { name } : { name, metadata };
        });
      yield keys;
    },
  };
}

export function createMemoryTargets(): PublishTargets & { models: MemoryKv; features: MemoryKv } {
  return { models: createMemoryKvWriter(), features: createMemoryKvWriter() };
}
