/** Runs the origin app on @hono/node-server, with deadlines for a request to arrive. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { OpenAPIHono } from "@hono/zod-openapi";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  /**
   * Headers and body must have arrived this many milliseconds after the request began (the body deadline
   * itself is the app's, BodyLimits.bodyTimeoutMs, answered 408 in JSON). Node's own cut-off closes the
   * socket a second later, for what the app never reads. Default: Node's (300 s).
   */
  requestTimeoutMs?: number;
}

/** Node's cut-off comes this long after the app's own deadline, so the client gets the app's 408 body. */
const NODE_CUTOFF_GRACE_MS = 1000;

export async function listen(
  app: Pick<OpenAPIHono, "fetch">,
  options: ListenOptions,
): Promise<RunningServer> {
  const timeoutMs = options.requestTimeoutMs;
  const serverOptions =
    timeoutMs === undefined
      ? {}
      : {
          headersTimeout: timeoutMs,
          requestTimeout: timeoutMs + NODE_CUTOFF_GRACE_MS,
          // Node looks for expired requests every 30 s by default: far too coarse for a 30 s deadline.
          connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeoutMs / 4))),
        };
  const fetch = async (...args: Parameters<OpenAPIHono["fetch"]>) => {
    const response = await app.fetch(...args);
    if (response.status === 408) {
      // The rest of a timed-out body is never read: close rather than drain it for the next request.
      response.headers.set("connection", "close");
    }
    return response;
  };
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch, port: options.port, hostname: options.host, serverOptions }, () => {
      s.off("error", reject);
      resolve(s);
    });
    // A port in use or not ours to bind: the caller's error, not an uncaught exception.
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
