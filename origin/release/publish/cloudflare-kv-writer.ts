/**
 * KvWriter over the Cloudflare REST API through the official SDK (`cloudflare`), the production path: the
 * Workers binding has no bulk put, the REST API writes up to 10,000 pairs (100 MB) per request. The SDK
 * makes the calls (bulk write, bulk delete, one value, key list pages); what it does not do is ours: we
 * pack requests under both bulk limits, send again only the keys the API reports as not stored, and
 * retry transient failures (429 with its Retry-After, 5xx, network) with our policy, so the SDK's own
 * retries are off. Anything else fails at once with the API's own message and the keys concerned.
 */
import Cloudflare from "cloudflare";
import { ApiRejection, BulkResult, KeyList } from "./cloudflare-api-response.ts";
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
  const client = new Cloudflare({
    apiToken: config.apiToken,
    baseURL: config.baseUrl ?? cloudflareApiBaseUrl,
    maxRetries: 0,
    timeout: config.requestTimeoutMs ?? 120_000,
  });
  const account_id = config.accountId;
  const namespaceId = config.namespaceId;

  /** One SDK call, its failures sorted into retryable (429, 5xx, network) and final (other 4xx). */
  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof Cloudflare.APIConnectionError) {
        throw new RetryableError(`network error: ${errorMessage(error)}`);
      }
      if (error instanceof Cloudflare.APIError && error.status !== undefined) {
        const message = `HTTP ${error.status}: ${describeErrors(error)}`;
        if (error.status === 429 || error.status >= 500) {
          throw new RetryableError(message, {
            status: error.status,
            retryAfterMs: parseRetryAfterMs(error.headers?.get("retry-after") ?? null),
          });
        }
        throw new ApiRejection(error.status, message);
      }
      throw error;
    }
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
  async function sendBulk<T>(
    what: string,
    items: Array<{ key: string; item: T }>,
    send: (batch: T[]) => Promise<unknown>,
  ) {
    let remaining = items;
    await run(
      what,
      () => remaining.map((entry) => entry.key),
      async () => {
        const result = await call(() => send(remaining.map((entry) => entry.item)));
        const failed = new Set(BulkResult.parse(result)?.unsuccessful_keys ?? []);
        if (failed.size > 0) {
          remaining = remaining.filter((entry) => failed.has(entry.key));
          throw new RetryableError(`the API reported ${failed.size} keys as not stored`);
        }
      },
    );
  }

  /**
   * Packs items into requests under both limits, serializing lazily so only one request's body is held
   * at a time, and sends them in order; after a failure the error also names every key not yet sent.
   */
  async function sendInBatches<T, B>(
    what: string,
    items: readonly T[],
    keyOf: (item: T) => string,
    toBody: (item: T) => B,
    send: (batch: B[]) => Promise<unknown>,
  ): Promise<void> {
    let batch: Array<{ key: string; item: B }> = [];
    let batchBytes = 2; // the array's brackets
    const flush = async (nextIndex: number) => {
      try {
        await sendBulk(what, batch, send);
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
      const body = toBody(item);
      // The size the SDK will send: each element serializes as it does inside the array.
      const itemBytes = Buffer.byteLength(JSON.stringify(body));
      if (2 + itemBytes > maxBatchBytes) {
        const message = `'${key}' alone exceeds the ${maxBatchBytes}-byte request limit; it and later keys were not sent`;
        throw new KvWriterError(message, items.slice(index).map(keyOf));
      }
      if (batch.length === maxBatchPairs || batchBytes + 1 + itemBytes > maxBatchBytes) {
        await flush(index);
      }
      batchBytes += itemBytes + (batch.length > 0 ? 1 : 0);
      batch.push({ key, item: body });
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
        try {
          const response = await call(() =>
            client.kv.namespaces.values.get(key, { account_id, namespace_id: namespaceId }),
          );
          return new Uint8Array(await response.arrayBuffer());
        } catch (error) {
          // 404 is a missing key. A wrong namespace id also answers 404 here, but the bulk write that
          // follows a read then fails loudly, so treating it as "absent" hides nothing for long.
          if (error instanceof ApiRejection && error.status === 404) {
            return null;
          }
          throw error;
        }
      },
    );
  }

  return {
    async putMany(pairs) {
      assertValidPairs(pairs);
      await sendInBatches(
        "bulk write",
        pairs,
        (pair) => pair.key,
        bulkWriteItem,
        (body) => client.kv.namespaces.bulkUpdate(namespaceId, { account_id, body }),
      );
    },
    getBytes,
    async getText(key) {
      const bytes = await getBytes(key);
      return bytes === null ? null : new TextDecoder().decode(bytes);
    },
    async deleteMany(keys) {
      await sendInBatches(
        "bulk delete",
        keys,
        (key) => key,
        (key) => key,
        (body) => client.kv.namespaces.bulkDelete(namespaceId, { account_id, body }),
      );
    },
    async *listKeys(prefix) {
      let cursor = "";
      do {
        // One page per call, so that each page is retried on its own.
        const page = await run(
          "list",
          () => [`${prefix}*`],
          () =>
            call(() =>
              client.kv.namespaces.keys.list(namespaceId, {
                account_id,
                prefix,
                limit: listPageSize,
                ...(cursor ? { cursor } : {}),
              }),
            ),
        );
        yield KeyList.parse(page.result).map(toKvKeyInfo);
        cursor = page.result_info?.cursor ?? "";
      } while (cursor);
    },
  };
}

type BulkWriteItem = Cloudflare.KV.Namespaces.NamespaceBulkUpdateParams.Body;

/** One element of the bulk write body; binary values travel as base64 (JSON strings cannot hold bytes). */
function bulkWriteItem(pair: KvPair): BulkWriteItem {
  const { value } = pair;
  return {
    key: pair.key,
    ...(typeof value === "string"
      ? { value }
      : {
          value: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"),
          base64: true,
        }),
    ...(pair.expirationTtlSeconds === undefined ? {} : { expiration_ttl: pair.expirationTtlSeconds }),
    ...(pair.metadata === undefined ? {} : { metadata: pair.metadata }),
  };
}

/** The API's errors as "code message; …", else the SDK's message. */
function describeErrors(error: InstanceType<typeof Cloudflare.APIError>): string {
  return error.errors.length > 0
    ? error.errors.map((entry) => `${entry.code} ${entry.message}`).join("; ")
    : error.message;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
