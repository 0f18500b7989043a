/**
 * What the publisher needs from one Workers KV namespace, seen from outside the Worker: bulk writes,
 * reads, bulk deletes and prefix listing. One file per backend (cloudflare-kv-writer.ts for the REST
 * API, miniflare-kv-writer.ts for a local edge); every backend passes
 * test/origin/release/publish/kv-writer.conformance.ts.
 */

export type KvValue = string | Uint8Array;

export interface KvPair {
  key: string;
  value: KvValue;
  /** Seconds until KV deletes the key (KV's minimum is 60); kept forever when omitted. */
  expirationTtlSeconds?: number;
  /** A small JSON object that listKeys returns with the key (KV allows 1024 bytes serialized). */
  metadata?: Record<string, unknown>;
}

export interface KvKeyInfo {
  name: string;
  /** Seconds since the epoch at which KV deletes the key. */
  expiration?: number;
  metadata?: Record<string, unknown>;
}

export interface KvWriter {
  /**
   * Stores every pair or throws a KvWriterError naming the keys that may not be stored. Pairs in one
   * call may land in any order: callers that need an order (bytes before manifest) make two calls.
   */
  putMany(pairs: readonly KvPair[]): Promise<void>;
  /** The value as text, or null when the key is absent. */
  getText(key: string): Promise<string | null>;
  /** The value's bytes, or null when the key is absent. */
  getBytes(key: string): Promise<Uint8Array | null>;
  /** Deletes the keys; keys that are already absent are not an error. */
  deleteMany(keys: readonly string[]): Promise<void>;
  /** The keys starting with `prefix` in KV's order (UTF-8 lexicographic), one page at a time. */
  listKeys(prefix: string): AsyncIterable<KvKeyInfo[]>;
}

export class KvWriterError extends Error {
  /** The keys the failed operation concerned: not stored (puts) or maybe not deleted (deletes). */
  readonly keys: readonly string[];
  /** The HTTP status of the last failed request, when there was one. */
  readonly status: number | undefined;

  constructor(message: string, keys: readonly string[], status?: number) {
    super(message);
    this.name = "KvWriterError";
    this.keys = keys;
    this.status = status;
  }
}

/** A listed key as a backend returns it, with metadata kept only when it is a JSON object. */
export function toKvKeyInfo(key: {
  name: string;
  expiration?: number | undefined;
  metadata?: unknown;
}): KvKeyInfo {
  const metadata = key.metadata;
  return {
    name: key.name,
    ...(key.expiration === undefined ? {} : { expiration: key.expiration }),
    ...(metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)
      ? { metadata: metadata as Record<string, unknown> }
      : {}),
  };
}

/** Every key under `prefix`, all pages read. */
export async function listAllKeys(writer: KvWriter, prefix: string): Promise<KvKeyInfo[]> {
  const keys: KvKeyInfo[] = [];
  for await (const page of writer.listKeys(prefix)) {
    keys.push(...page);
  }
  return keys;
}

/** "a, b, c and 7 more": error messages name the keys without printing ten thousand of them. */
export function describeKeys(keys: readonly string[], shown = 5): string {
  const head = keys.slice(0, shown).join(", ");
  return keys.length > shown ? `${head} and ${keys.length - shown} more` : head;
}

/** The two namespaces a release is written to, as bound to the Worker in wrangler.toml. */
export interface PublishTargets {
  /** MODELS: model and artifact bytes, manifests. */
  models: KvWriter;
  /** FEATURES: user features. */
  features: KvWriter;
}
