/**
 * A closed-loop HTTP load generator for localhost benchmarks: `concurrency` clients, each sending
 * its next request when the previous one answers, over keep-alive connections. Bounded by request
 * count so it always stops by itself.
 */
import http from "node:http";

export interface LoadResult {
  latenciesMs: Float64Array;
  elapsedMs: number;
  requestsPerSecond: number;
  failures: number;
  /** Each Server-Timing metric's durations (ms) over the requests that reported it. */
  serverTimingMs: Map<string, number[]>;
}

export async function runLoad(options: {
  url: URL;
  paths: readonly string[];
  concurrency: number;
  requests: number;
  headers?: Record<string, string>;
  /** JSON bodies: when given, request i is a POST of bodies[i % length] (to paths[i % paths.length]). */
  bodies?: readonly string[];
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latenciesMs = new Float64Array(options.requests);
  let next = 0;
  let failures = 0;
  const serverTimingMs = new Map<string, number[]>();
  const started = performance.now();
  const client = async () => {
    while (next < options.requests) {
      const index = next++;
      const path = options.paths[index % options.paths.length]!;
      const start = performance.now();
      const body = options.bodies?.[index % options.bodies.length];
      const { status, serverTiming } = await send(
        agent,
        new URL(path, options.url),
        options.headers ?? {},
        body,
      );
      latenciesMs[index] = performance.now() - start;
      for (const [name, ms] of parseServerTiming(serverTiming)) {
        serverTimingMs.set(name, [...(serverTimingMs.get(name) ?? []), ms]);
      }
      if (status !== 200) {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return {
    latenciesMs,
    elapsedMs,
    requestsPerSecond: (options.requests / elapsedMs) * 1000,
    failures,
    serverTimingMs,
  };
}

/**
 * One GET, or a POST of a JSON `body`; the answer drained. Resolves to the status code and the
 * Server-Timing header.
 */
export function send(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; serverTiming: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      },
      (response) => {
        response.resume();
        const serverTiming = String(response.headers["server-timing"] ?? "");
        response.on("end", () => resolve({ status: response.statusCode ?? 0, serverTiming }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** `name;dur=1.5,other;dur=0` → [["name", 1.5], ["other", 0]]. */
export function parseServerTiming(header: string): Array<[string, number]> {
  const metrics: Array<[string, number]> = [];
  for (const part of header.split(",")) {
    const name = part.split(";")[0]!.trim();
    const duration = /dur=([\d.]+)/.exec(part)?.[1];
    if (name && duration !== undefined) {
      metrics.push([name, Number(duration)]);
    }
  }
  return metrics;
}
