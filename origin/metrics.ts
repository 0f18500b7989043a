/**
 * The origin's Prometheus metrics, one registry per process, served as text at GET /metrics. Shared by
 * every flow (like config.ts): the server counts requests and records, training and learning runs count
 * themselves, and publishes count where they happen. The serving models' headline metrics are read from
 * the model registry when Prometheus scrapes (`setServingModelsSource`), so they are right whichever
 * process or instance published.
 *
 * Labels stay bounded: routes are Hono's route patterns (never raw paths), rejection reasons are the
 * first field of a contract error or a fixed word, model names are the published ones.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const metricsRegistry = new Registry();

export const httpRequests = new Counter({
  name: "edgewise_http_requests_total",
  help: "HTTP requests answered, by method, route pattern and status",
  labelNames: ["method", "route", "status"] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: "edgewise_http_request_duration_seconds",
  help: "Time from a request's arrival to its answer, by method and route pattern",
  labelNames: ["method", "route"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const recordsTotal = new Counter({
  name: "edgewise_records_total",
  help: "Records received in batches, by kind (event, decision, reward) and outcome (stored, duplicate, rejected)",
  labelNames: ["kind", "outcome"] as const,
  registers: [metricsRegistry],
});

export const recordsRejected = new Counter({
  name: "edgewise_records_rejected_total",
  help: "Records rejected, by kind and reason (the first field the contract refused, malformed_json, store_refused)",
  labelNames: ["kind", "reason"] as const,
  registers: [metricsRegistry],
});

export const trainingRunDuration = new Histogram({
  name: "edgewise_training_run_duration_seconds",
  help: "Training runs this process ran, by trigger and outcome (trained, published, rejected, skipped, failed)",
  labelNames: ["trigger", "outcome"] as const,
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [metricsRegistry],
});

export const learningRunDuration = new Histogram({
  name: "edgewise_learning_run_duration_seconds",
  help: "Learning runs this process ran, by outcome (published, learned, failed)",
  labelNames: ["outcome"] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [metricsRegistry],
});

export const runsBusy = new Counter({
  name: "edgewise_runs_busy_total",
  help: "Runs not started because another process or instance held the run's lock, by kind (train, learn)",
  labelNames: ["kind"] as const,
  registers: [metricsRegistry],
});

export const publishesTotal = new Counter({
  name: "edgewise_publishes_total",
  help: "Manifests this process wrote to the edge's KV: releases, policy updates and rollbacks",
  registers: [metricsRegistry],
});

/** What the serving-model gauge reads at scrape time: one row per serving model. */
export interface ServingModelMetric {
  model: string;
  version: string;
  metric: string;
  value: number;
}

let servingModelsSource: (() => Promise<ServingModelMetric[]>) | null = null;

/** The server sets this to a registry read; without it the gauge is empty. */
export function setServingModelsSource(source: (() => Promise<ServingModelMetric[]>) | null): void {
  servingModelsSource = source;
}

new Gauge({
  name: "edgewise_serving_model_metric",
  help: "Each serving model's headline metric on held-out data (nDCG@10, AUC, accuracy), from the model registry",
  labelNames: ["model", "version", "metric"] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (servingModelsSource === null) {
      return;
    }
    for (const row of await servingModelsSource()) {
      this.set({ model: row.model, version: row.version, metric: row.metric }, row.value);
    }
  },
});

/** What a batch route answers, as far as the counters read it. */
export interface BatchCounts {
  stored: number;
  duplicates: readonly unknown[];
  rejected: readonly { error: string }[];
}

/** Counts one batch's answer: stored, duplicate and rejected records, the rejected by reason. */
export function countBatchOutcome(kind: "event" | "decision" | "reward", body: BatchCounts): void {
  recordsTotal.inc({ kind, outcome: "stored" }, body.stored);
  recordsTotal.inc({ kind, outcome: "duplicate" }, body.duplicates.length);
  recordsTotal.inc({ kind, outcome: "rejected" }, body.rejected.length);
  for (const { error } of body.rejected) {
    recordsRejected.inc({ kind, reason: rejectionReason(error) });
  }
}

/**
 * A bounded label for a rejection message: `malformed_json`, `store_refused`, the first field of a
 * contract error (`ts: …` → `ts`), or `invalid` for anything else (nesting, a non-object).
 */
export function rejectionReason(error: string): string {
  if (error.startsWith("the store refused")) {
    return "store_refused";
  }
  if (/^line \d+ is not valid JSON/.test(error)) {
    return "malformed_json";
  }
  const field = /^([a-z_]{1,32})[.:]/.exec(error)?.[1];
  return field ?? "invalid";
}

/** Seconds since `startNs` (process.hrtime.bigint()). */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}
