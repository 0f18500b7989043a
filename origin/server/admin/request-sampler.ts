/**
 * A short history of the origin's request figures for the dashboard: every `intervalMs` the sampler
 * reads the request counter and latency histogram (origin/metrics.ts) and keeps the running totals, at
 * most `points` of them (an hour at the defaults). Rates and mean latencies are the differences between
 * samples, so they are the same figures Prometheus would compute from /metrics.
 */
import { httpRequestDuration, httpRequests } from "../../metrics.ts";

export interface RequestSample {
  /** Epoch ms. */
  t: number;
  requests: number;
  serverErrors: number;
  durationSumSeconds: number;
  durationCount: number;
}

export interface RequestSampler {
  samples(): RequestSample[];
  /** Takes a sample now (the timer does every interval). */
  sample(): Promise<void>;
  stop(): void;
}

async function readTotals(): Promise<Omit<RequestSample, "t">> {
  const requests = await httpRequests.get();
  const duration = await httpRequestDuration.get();
  let total = 0;
  let serverErrors = 0;
  for (const value of requests.values) {
    total += value.value;
    if (Number(value.labels.status) >= 500) {
      serverErrors += value.value;
    }
  }
  let durationSumSeconds = 0;
  let durationCount = 0;
  for (const value of duration.values) {
    if (value.metricName === "edgewise_http_request_duration_seconds_sum") {
      durationSumSeconds += value.value;
    } else if (value.metricName === "edgewise_http_request_duration_seconds_count") {
      durationCount += value.value;
    }
  }
  return { requests: total, serverErrors, durationSumSeconds, durationCount };
}

export function startRequestSampler(options: { intervalMs?: number; points?: number } = {}): RequestSampler {
  const points = options.points ?? 360;
  const kept: RequestSample[] = [];
  const sample = async () => {
    kept.push({ t: Date.now(), ...(await readTotals()) });
    if (kept.length > points) {
      kept.splice(0, kept.length - points);
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), options.intervalMs ?? 10_000);
  timer.unref();
  return { samples: () => [...kept], sample, stop: () => clearInterval(timer) };
}
