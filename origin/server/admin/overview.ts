/**
 * What the dashboard shows, assembled from the stores, the edge's KV and this process's metrics: the
 * releases kept in KV with each served model's headline metric, ingestion counts by record type and the
 * rejected records by reason, the request history, the share of degraded answers the edge logged, the
 * experiments' arms with confidence intervals, and the last learning runs with their off-policy estimates.
 */
import { kvKeys, RECORD_TYPES } from "../../../models/contracts/index.ts";
import type { EventStore } from "../../ingest/index.ts";
import { experimentArms, type LearningStore } from "../../learn/index.ts";
import { recordsRejected } from "../../metrics.ts";
import {
  headlineMetric,
  listReleases,
  type ModelRegistry,
  readManifest,
  servedModels,
  type TargetsRunner,
} from "../../release/index.ts";
import type { RequestSampler } from "./request-sampler.ts";

export interface AdminDeps {
  eventStore: EventStore;
  registry: ModelRegistry;
  learningStore: LearningStore;
  /** The edge's KV the releases live in (the local edge's, or Cloudflare's). */
  targets: TargetsRunner;
  requests: RequestSampler;
}

const HOUR_MS = 3_600_000;

async function releases(deps: AdminDeps) {
  return deps.targets(async (targets) => {
    const listed = await listReleases(targets.models);
    return Promise.all(
      listed.map(async (release) => {
        const manifest = await readManifest(targets.models, kvKeys.manifest(release.version));
        const models = await Promise.all(
          (manifest ? servedModels(manifest) : []).map(async (ref) => {
            const row = await deps.registry.get(ref);
            const metric = row ? headlineMetric(row.kind) : null;
            const value = row && metric ? (row.metrics[metric] ?? null) : null;
            return { name: ref.name, version: ref.version, metric, value };
          }),
        );
        return { ...release, models };
      }),
    );
  });
}

async function ingestion(deps: AdminDeps) {
  const byType = await Promise.all(
    RECORD_TYPES.map(async (type) => ({ type, stored: await deps.eventStore.countEvents([type]) })),
  );
  const rejected = (await recordsRejected.get()).values
    .map((value) => ({
      kind: String(value.labels.kind),
      reason: String(value.labels.reason),
      count: value.value,
    }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
  return { byType, rejected };
}

async function experiments(store: LearningStore) {
  const ids = await store.experimentIds();
  return Promise.all(ids.map(async (id) => ({ id, arms: (await experimentArms(store, id, 0.95)) ?? [] })));
}

/** Each policy's gate outcome in a learning run's summary, with its off-policy estimates when it had them. */
function policyEstimates(summary: unknown) {
  const policies = (summary as { policies?: unknown[] } | null)?.policies ?? [];
  return policies.map((entry) => {
    const policy = entry as {
      policy?: string;
      examples?: number;
      gate?: { publish?: boolean; reason?: string; estimates?: unknown };
    };
    return {
      policy: String(policy.policy ?? "?"),
      examples: Number(policy.examples ?? 0),
      publish: policy.gate?.publish === true,
      reason: String(policy.gate?.reason ?? ""),
      estimates: policy.gate?.estimates ?? null,
    };
  });
}

export async function adminOverview(deps: AdminDeps, nowMs = Date.now()) {
  const [releaseList, ingest, experimentList, runs, degraded] = await Promise.all([
    releases(deps),
    ingestion(deps),
    experiments(deps.learningStore),
    deps.learningStore.recentRuns(10),
    deps.learningStore.degradedDecisions(nowMs - HOUR_MS),
  ]);
  return {
    generated_at: new Date(nowMs).toISOString(),
    serving_version: releaseList.find((release) => release.current)?.version ?? null,
    releases: releaseList,
    ingestion: ingest,
    requests: deps.requests.samples(),
    degraded_last_hour: degraded,
    experiments: experimentList,
    learning_runs: runs.map((run) => ({
      id: run.id,
      started_at: new Date(run.startedAtMs).toISOString(),
      finished_at: new Date(run.finishedAtMs).toISOString(),
      published: run.bundleVersion,
      policies: policyEstimates(run.summary),
    })),
  };
}
