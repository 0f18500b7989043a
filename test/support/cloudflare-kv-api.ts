/**
 * A local stand-in for the subset of the Cloudflare REST API the publisher uses (bulk write, bulk
 * delete, read one value, list keys), writing through a local edge's Miniflare KV: the production
 * client runs unchanged against the real workerd KV the Worker reads. It enforces the bulk limits
 * (configurable, so tests exercise batching without 100 MB bodies) and can inject failures.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { LocalEdge } from "../../origin/dev/local-edge/local-edge.ts";
import type { KVNamespaceLike } from "../../origin/release/publish/miniflare-kv-writer.ts";

export interface CloudflareKvApiOptions {
  edge: LocalEdge;
  accountId: string;
  apiToken: string;
  /** Namespace id → the Worker binding it stands for. */
  namespaces: Record<string, "MODELS" | "FEATURES">;
  maxPairs?: number;
  maxBodyBytes?: number;
}

export interface RecordedRequest {
  method: string;
  /** The path after the namespace, e.g. `/bulk`, `/values/manifest%2Fcurrent`, `/keys`. */
  route: string;
  bodyBytes: number;
  /** Pairs or keys in a bulk body. */
  items: number;
  status: number;
}

export interface Failure {
  status: number;
  retryAfter?: string;
  /** Only requests whose route starts with this fail; all routes when omitted. */
  route?: string;
}

export interface CloudflareKvApi {
  baseUrl: string;
  requests: RecordedRequest[];
  /** The next `count` matching requests answer `failure.status` with an API error envelope. */
  failNext(count: number, failure: Failure): void;
  /** The next bulk write that holds these keys reports them in `unsuccessful_keys` and skips them. */
  reportUnsuccessfulOnce(keys: string[]): void;
  close(): Promise<void>;
}

const BulkWrite = z.array(
  z.object({
    key: z.string(),
    value: z.string(),
    base64: z.boolean().optional(),
    expiration_ttl: z.number().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
);
const BulkDelete = z.array(z.string());

const routePattern = /^\/client\/v4\/accounts\/([^/]+)\/storage\/kv\/namespaces\/([^/]+)(\/[^?]*)$/;

export async function startCloudflareKvApi(options: CloudflareKvApiOptions): Promise<CloudflareKvApi> {
  const maxPairs = options.maxPairs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 100_000_000;
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  let unsuccessful = new Set<string>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const match = routePattern.exec(url.pathname);
    const body = await readBody(request);
    const record: RecordedRequest = {
      method: request.method ?? "",
      route: match?.[3] ?? url.pathname,
      bodyBytes: body.length,
      items: 0,
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const bytes = payload instanceof Uint8Array ? payload : Buffer.from(JSON.stringify(payload));
      response.writeHead(status, {
        "content-type": payload instanceof Uint8Array ? "application/octet-stream" : "application/json",
        ...headers,
      });
      response.end(bytes);
    };
    const fail = (status: number, code: number, message: string, headers?: Record<string, string>) =>
      reply(status, { success: false, errors: [{ code, message }], messages: [], result: null }, headers);
    const ok = (result: unknown, extra: Record<string, unknown> = {}) =>
      reply(200, { success: true, errors: [], messages: [], result, ...extra });

    if (request.headers.authorization !== `Bearer ${options.apiToken}`) {
      return fail(401, 10000, "Authentication error");
    }
    const binding = match && match[1] === options.accountId ? options.namespaces[match[2]!] : undefined;
    if (!match || !binding) {
      return fail(404, 10013, "namespace not found");
    }
    const injected = failures.findIndex((failure) => record.route.startsWith(failure.route ?? ""));
    if (injected >= 0) {
      const [failure] = failures.splice(injected, 1);
      return fail(failure!.status, 10999, "injected failure", {
        ...(failure!.retryAfter === undefined ? {} : { "retry-after": failure!.retryAfter }),
      });
    }
    if (body.length > maxBodyBytes) {
      return fail(413, 10014, `request body of ${body.length} bytes exceeds ${maxBodyBytes}`);
    }
    const kv = await options.edge.kv(binding);
    const route = record.route;

    if (request.method === "PUT" && route === "/bulk") {
      const pairs = BulkWrite.safeParse(safeJson(body));
      if (!pairs.success) {
        return fail(400, 10026, `invalid bulk write body: ${pairs.error.message}`);
      }
      record.items = pairs.data.length;
      if (pairs.data.length > maxPairs) {
        return fail(400, 10026, `at most ${maxPairs} pairs per request; got ${pairs.data.length}`);
      }
      const failed = pairs.data.filter((pair) => unsuccessful.has(pair.key)).map((pair) => pair.key);
      unsuccessful = new Set([...unsuccessful].filter((key) => !failed.includes(key)));
      for (const pair of pairs.data.filter((p) => !failed.includes(p.key))) {
        await kv.put(pair.key, pair.base64 ? Buffer.from(pair.value, "base64") : pair.value, {
          ...(pair.expiration_ttl === undefined ? {} : { expirationTtl: pair.expiration_ttl }),
          ...(pair.metadata === undefined ? {} : { metadata: pair.metadata }),
        });
      }
      return ok({ successful_key_count: pairs.data.length - failed.length, unsuccessful_keys: failed });
    }
    if (request.method === "POST" && route === "/bulk/delete") {
      const keys = BulkDelete.safeParse(safeJson(body));
      if (!keys.success) {
        return fail(400, 10026, `invalid bulk delete body: ${keys.error.message}`);
      }
      record.items = keys.data.length;
      if (keys.data.length > maxPairs) {
        return fail(400, 10026, `at most ${maxPairs} keys per request; got ${keys.data.length}`);
      }
      await Promise.all(keys.data.map((key) => kv.delete(key)));
      return ok({ successful_key_count: keys.data.length, unsuccessful_keys: [] });
    }
    if (request.method === "GET" && route.startsWith("/values/")) {
      const value = await kv.get(decodeURIComponent(route.slice("/values/".length)), "arrayBuffer");
      return value === null ? fail(404, 10009, "get: 'key not found'") : reply(200, new Uint8Array(value));
    }
    if (request.method === "GET" && route === "/keys") {
      return listKeys(kv, url.searchParams, ok, fail);
    }
    return fail(405, 10000, `no route for ${request.method} ${route}`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ success: false, errors: [{ code: 10001, message: String(error) }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/client/v4`,
    requests,
    failNext(count, failure) {
      failures.push(...Array.from({ length: count }, () => failure));
    },
    reportUnsuccessfulOnce(keys) {
      unsuccessful = new Set([...unsuccessful, ...keys]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function listKeys(
  kv: KVNamespaceLike,
  query: URLSearchParams,
  ok: (result: unknown, extra?: Record<string, unknown>) => void,
  fail: (status: number, code: number, message: string) => void,
): Promise<void> {
  const limit = Number(query.get("limit") ?? 1000);
  if (!(Number.isInteger(limit) && limit >= 10 && limit <= 1000)) {
    return fail(400, 10026, `limit must be 10 to 1000; got ${query.get("limit")}`);
  }
  const cursor = query.get("cursor");
  const page = await kv.list({ prefix: query.get("prefix") ?? "", limit, ...(cursor ? { cursor } : {}) });
  ok(page.keys, {
    result_info: { count: page.keys.length, cursor: page.list_complete ? "" : (page.cursor ?? "") },
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
