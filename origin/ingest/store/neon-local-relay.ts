/**
 * A WebSocket-to-TCP relay that lets the Neon serverless driver (which speaks the Postgres protocol over
 * WebSockets) reach a plain local Postgres: what Neon's own proxy does in production. Loopback only, for
 * tests, benchmarks and local development; never expose it. The driver opens
 * `ws://<relay>/v2?address=<host>:<port>` (see neonWsProxy) and every message is raw protocol bytes.
 */
import { once } from "node:events";
import { type AddressInfo, connect, type Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface NeonLocalRelay {
  port: number;
  /** The value for the Neon driver's `wsProxy` setting. */
  wsProxy: (host: string, port: number | string) => string;
  /** Open relayed connections. */
  connectionCount(): number;
  /** Cuts every relayed connection at once (both sides), as a network failure would; keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function parseTarget(url: string | undefined): { host: string; port: number } | null {
  const address = new URL(url ?? "/", "http://relay").searchParams.get("address");
  const match = address?.match(/^(.+):(\d+)$/);
  if (!match) {
    return null;
  }
  const host = match[1]!;
  return LOOPBACK.has(host) ? { host: host.replace(/^\[(.*)\]$/, "$1"), port: Number(match[2]) } : null;
}

export async function startNeonLocalRelay(options: { port?: number } = {}): Promise<NeonLocalRelay> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0, path: "/v2" });
  await once(server, "listening");
  const pairs = new Set<{ ws: WebSocket; tcp: Socket }>();

  server.on("connection", (ws, request) => {
    const target = parseTarget(request.url);
    if (!target) {
      ws.close(1008, "address must be a loopback host:port");
      return;
    }
    const tcp = connect(target.port, target.host);
    const pair = { ws, tcp };
    pairs.add(pair);
    tcp.setNoDelay(true);
    tcp.on("data", (chunk) => ws.send(chunk));
    tcp.on("error", () => ws.terminate());
    tcp.on("close", () => {
      pairs.delete(pair);
      ws.terminate();
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      if (Buffer.isBuffer(data)) {
        tcp.write(data);
      } else {
        tcp.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
      }
    });
    ws.on("error", () => tcp.destroy());
    ws.on("close", () => tcp.destroy());
  });

  const dropConnections = () => {
    for (const { ws, tcp } of pairs) {
      tcp.destroy();
      ws.terminate();
    }
    pairs.clear();
  };
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    wsProxy: (host, targetPort) => `127.0.0.1:${port}/v2?address=${host}:${targetPort}`,
    connectionCount: () => pairs.size,
    dropConnections,
    async close() {
      dropConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
