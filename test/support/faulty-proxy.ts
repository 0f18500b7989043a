/**
 * A real HTTP server in front of another (the edge's workerd or the origin) that answers chosen requests
 * with a failure of its own before passing later ones through: what a client's retries meet when a load
 * balancer or an overloaded server answers 503 or 429. Every request it receives is recorded.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
  contentType: string | null;
  /** What the proxy answered: its own failure, or the target's status. */
  status: number;
  failed: boolean;
}

export interface InjectedFailure {
  status: number;
  headers?: Record<string, string>;
}

export interface FaultyProxy {
  url: URL;
  requests: ProxiedRequest[];
  /** Answers the next requests whose path starts with `pathPrefix` with these failures, in order. */
  failNext(pathPrefix: string, failures: readonly InjectedFailure[]): void;
  /** Refuses the next `count` connections to `pathPrefix` by destroying the socket (a network error). */
  dropNext(pathPrefix: string, count: number): void;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: URL): Promise<FaultyProxy> {
  const requests: ProxiedRequest[] = [];
  let failures: Array<{ prefix: string; failure: InjectedFailure | "drop" }> = [];
  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request, env: { incoming?: { socket?: { destroy(): void } } }) => {
      const url = new URL(request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
      const contentType = request.headers.get("content-type");
      const index = failures.findIndex((f) => url.pathname.startsWith(f.prefix));
      if (index >= 0) {
        const { failure } = failures.splice(index, 1)[0]!;
        if (failure === "drop") {
          requests.push({
            method: request.method,
            path: url.pathname,
            body,
            contentType,
            status: 0,
            failed: true,
          });
          env.incoming?.socket?.destroy();
          return new Response(null, { status: 500 });
        }
        requests.push({
          method: request.method,
          path: url.pathname,
          body,
          contentType,
          status: failure.status,
          failed: true,
        });
        return Response.json(
          { error: { code: "injected", message: `injected ${failure.status}` } },
          { status: failure.status, headers: failure.headers ?? {} },
        );
      }
      const headers = new Headers(request.headers);
      headers.delete("host");
      // fetch decodes a compressed answer; asking for none keeps the relayed headers true to the body.
      headers.set("accept-encoding", "identity");
      const response = await fetch(new URL(url.pathname + url.search, target), {
        method: request.method,
        headers,
        ...(body === "" ? {} : { body }),
      });
      requests.push({
        method: request.method,
        path: url.pathname,
        body,
        contentType,
        status: response.status,
        failed: false,
      });
      const relayed = new Headers(response.headers);
      relayed.delete("content-encoding");
      relayed.delete("content-length");
      // 204 and 304 answers (a CORS preflight's) must have a null body.
      const bodyless = response.status === 204 || response.status === 304;
      return new Response(bodyless ? null : await response.arrayBuffer(), {
        status: response.status,
        headers: relayed,
      });
    },
  });
  if (!server.listening) {
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    requests,
    failNext(prefix, list) {
      failures = [...failures, ...list.map((failure) => ({ prefix, failure }))];
    },
    dropNext(prefix, count) {
      failures = [
        ...failures,
        ...Array.from({ length: count }, () => ({ prefix, failure: "drop" as const })),
      ];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
