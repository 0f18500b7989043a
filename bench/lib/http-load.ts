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
}

export async function runLoad(options: {
  url: URL;
  paths: readonly string[];
  concurrency: number;
  requests: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latenciesMs = new Float64Array(options.requests);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const client = async () => {
    while (next < options.requests) {
      const index = next++;
      const path = options.paths[index % options.paths.length]!;
      const start = performance.now();
      const status = await get(agent, new URL(path, options.url), options.headers ?? {});
      latenciesMs[index] = performance.now() - start;
      if (status !== 200) {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latenciesMs, elapsedMs, requestsPerSecond: (options.requests / elapsedMs) * 1000, failures };
}

/** One GET, body drained; resolves to the status code. */
export function get(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}
