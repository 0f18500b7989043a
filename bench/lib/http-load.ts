/**
 * A closed-loop HTTP load generator for localhost benchmarks: `concurrency` clients, each sending
 * its next request when the previous one answers, over keep-alive connections. Bounded by request
 * count so it always stops by itself. A request that fails on the network (a refused or reset
 * connection) is counted, like a non-200 answer, and the load goes on: a benchmark decides what a
 * failure means (most stop on any), and one dropped connection no longer loses a whole level's figures.
 */
import http from "node:http";

export interface LoadResult {
  latenciesMs: Float64Array;
  elapsedMs: number;
  requestsPerSecond: number;
  /** Requests not answered 200: answered with another status, or failed on the network. */
  failures: number;
  /** Of the failures, those that got no answer at all, and the first such error's message. */
  networkErrors: number;
  firstNetworkError: string | null;
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
  let networkErrors = 0;
  let firstNetworkError: string | null = null;
  const serverTimingMs = new Map<string, number[]>();
  const started = performance.now();
  const client = async () => {
    while (next < options.requests) {
      const index = next++;
      const path = options.paths[index % options.paths.length]!;
      const start = performance.now();
      const body = options.bodies?.[index % options.bodies.length];
      const answer = await send(agent, new URL(path, options.url), options.headers ?? {}, body).catch(
        (error: Error) => {
          networkErrors++;
          firstNetworkError ??= error.message;
          return { status: 0, serverTiming: "" };
        },
      );
      const { status, serverTiming } = answer;
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
    networkErrors,
    firstNetworkError,
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
