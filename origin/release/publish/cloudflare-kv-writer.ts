/**
 * KvWriter over the Cloudflare REST API, the production path: the Workers binding has no bulk put, the
 * REST API writes up to 10,000 pairs (100 MB) per request. Transient failures (429, 5xx, network,
 * keys the API reports as not stored) are retried with backoff; anything else fails at once with the
 * API's own message and the keys concerned.
 */
import {
  ApiRejection,
  BulkResult,
  describeApiErrors,
  KeyList,
  readEnvelope,
} from "./cloudflare-api-response.ts";
import { assertValidPairs } from "./kv-limits.ts";
import { describeKeys, type KvPair, type KvWriter, KvWriterError, toKvKeyInfo } from "./kv-writer.ts";
import {
  defaultRetryPolicy,
  parseRetryAfterMs,
  RetryableError,
  type RetryPolicy,
  withRetries,
} from "./retry.ts";

export const cloudflareApiBaseUrl = "https://api.cloudflare.com/client/v4";
/** The bulk endpoints' documented limits per request. */
export const cloudflareBulkLimits = { pairs: 10_000, bytes: 100_000_000 } as const;

export interface CloudflareKvConfig {
  accountId: string;
  /** An API token with "Workers KV Storage: Edit" on the account. */
  apiToken: string;
  namespaceId: string;
  /** Default cloudflareApiBaseUrl; tests point it at a local server. */
  baseUrl?: string;
  /** Pairs (or keys, for deletes) per bulk request; at most cloudflareBulkLimits.pairs. */
  maxBatchPairs?: number;
  /** Bytes per bulk write request body; at most cloudflareBulkLimits.bytes. */
  maxBatchBytes?: number;
  /** Keys per list page; the API accepts 10 to 1000. */
  listPageSize?: number;
  /** One request's time limit; a hung connection then counts as a transient failure. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export function createCloudflareKvWriter(config: CloudflareKvConfig): KvWriter {
  const maxBatchPairs = config.maxBatchPairs ?? cloudflareBulkLimits.pairs;
  const maxBatchBytes = config.maxBatchBytes ?? cloudflareBulkLimits.bytes;
  const listPageSize = config.listPageSize ?? 1000;
  if (maxBatchPairs > cloudflareBulkLimits.pairs || maxBatchBytes > cloudflareBulkLimits.bytes) {
    throw new Error(`Cloudflare bulk requests take at most ${cloudflareBulkLimits.pairs} pairs and 100 MB`);
  }
  if (listPageSize < 10 || listPageSize > 1000) {
    throw new Error(`listPageSize must be 10 to 1000; got ${listPageSize}`);
  }
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...config.retry };
  const requestTimeoutMs = config.requestTimeoutMs ?? 120_000;
  const namespaceUrl = `${config.baseUrl ?? cloudflareApiBaseUrl}/accounts/${config.accountId}/storage/kv/namespaces/${config.namespaceId}`;

  async function send(method: string, path: string, body?: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${namespaceUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${config.apiToken}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw new RetryableError(`network error: ${errorMessage(error)}`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(`HTTP ${response.status}: ${describeApiErrors(await response.text())}`, {
        status: response.status,
        retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after")),
      });
    }
    return response;
  }

  /** Runs one logical request with retries; every failure becomes a KvWriterError naming its keys. */
  async function run<T>(what: string, keys: () => readonly string[], attempt: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(policy, attempt);
    } catch (error) {
      const retried = error instanceof RetryableError ? `, gave up after ${policy.maxAttempts} attempts` : "";
      const status =
        error instanceof RetryableError || error instanceof ApiRejection ? error.status : undefined;
      throw new KvWriterError(
        `Cloudflare KV ${what} failed for ${describeKeys(keys())} (namespace ${config.namespaceId}${retried}): ${errorMessage(error)}`,
        keys(),
        status,
      );
    }
  }

  /** Sends one bulk request; keys the API reports as not stored are sent again, and only they. */
  async function sendBulk(
    what: string,
    method: string,
    path: string,
    items: Array<{ key: string; json: string }>,
  ) {
    let remaining = items;
    await run(
      what,
      () => remaining.map((item) => item.key),
      async () => {
        const envelope = await readEnvelope(
          await send(method, path, `[${remaining.map((i) => i.json).join(",")}]`),
        );
        const failed = new Set(BulkResult.parse(envelope.result)?.unsuccessful_keys ?? []);
        if (failed.size > 0) {
          remaining = remaining.filter((item) => failed.has(item.key));
          throw new RetryableError(`the API reported ${failed.size} keys as not stored`);
        }
      },
    );
  }

  /**
   * Packs items into requests under both limits, serializing lazily so only one request's body is held
   * at a time, and sends them in order; after a failure the error also names every key not yet sent.
   */
  async function sendInBatches<T>(
    what: string,
    method: string,
    path: string,
    items: readonly T[],
    keyOf: (item: T) => string,
    toJson: (item: T) => string,
  ): Promise<void> {
    let batch: Array<{ key: string; json: string }> = [];
    let batchBytes = 2; // the array's brackets
    const flush = async (nextIndex: number) => {
      try {
        await sendBulk(what, method, path, batch);
      } catch (error) {
        const unsent = items.slice(nextIndex).map(keyOf);
        if (!(error instanceof KvWriterError) || unsent.length === 0) {
          throw error;
        }
        const message = `${error.message}; ${unsent.length} later keys were not sent`;
        throw new KvWriterError(message, [...error.keys, ...unsent], error.status);
      }
      batch = [];
      batchBytes = 2;
    };
    for (const [index, item] of items.entries()) {
      const key = keyOf(item);
      const json = toJson(item);
      const itemBytes = Buffer.byteLength(json);
      if (2 + itemBytes > maxBatchBytes) {
        const message = `'${key}' alone exceeds the ${maxBatchBytes}-byte request limit; it and later keys were not sent`;
        throw new KvWriterError(message, items.slice(index).map(keyOf));
      }
      if (batch.length === maxBatchPairs || batchBytes + 1 + itemBytes > maxBatchBytes) {
        await flush(index);
      }
      batchBytes += itemBytes + (batch.length > 0 ? 1 : 0);
      batch.push({ key, json });
    }
    if (batch.length > 0) {
      await flush(items.length);
    }
  }

  async function getBytes(key: string): Promise<Uint8Array | null> {
    return run(
      "read",
      () => [key],
      async () => {
        const response = await send("GET", `/values/${encodeURIComponent(key)}`);
        // 404 is a missing key. A wrong namespace id also answers 404 here, but the bulk write that
        // follows a read then fails loudly, so treating it as "absent" hides nothing for long.
        if (response.status === 404) {
          await response.body?.cancel();
          return null;
        }
        if (!response.ok) {
          throw new ApiRejection(
            response.status,
            `HTTP ${response.status}: ${describeApiErrors(await response.text())}`,
          );
        }
        return new Uint8Array(await response.arrayBuffer());
      },
    );
  }

  return {
    async putMany(pairs) {
      assertValidPairs(pairs);
      await sendInBatches("bulk write", "PUT", "/bulk", pairs, (pair) => pair.key, serializePair);
    },
    getBytes,
    async getText(key) {
      const bytes = await getBytes(key);
      return bytes === null ? null : new TextDecoder().decode(bytes);
    },
    async deleteMany(keys) {
      await sendInBatches(
        "bulk delete",
        "POST",
        "/bulk/delete",
        keys,
        (key) => key,
        (key) => JSON.stringify(key),
      );
    },
    async *listKeys(prefix) {
      let cursor = "";
      do {
        const query = new URLSearchParams({
          prefix,
          limit: String(listPageSize),
          ...(cursor ? { cursor } : {}),
        });
        const page = await run(
          "list",
          () => [`${prefix}*`],
          async () => readEnvelope(await send("GET", `/keys?${query}`)),
        );
        yield KeyList.parse(page.result).map(toKvKeyInfo);
        cursor = page.result_info?.cursor ?? "";
      } while (cursor);
    },
  };
}

/** One element of the bulk write body; binary values travel as base64 (JSON strings cannot hold bytes). */
function serializePair(pair: KvPair): string {
  const { value } = pair;
  return JSON.stringify({
    key: pair.key,
    ...(typeof value === "string"
      ? { value }
      : {
          value: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"),
          base64: true,
        }),
    ...(pair.expirationTtlSeconds === undefined ? {} : { expiration_ttl: pair.expirationTtlSeconds }),
    ...(pair.metadata === undefined ? {} : { metadata: pair.metadata }),
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
