/**
 * The scheduler as `edgewise serve` runs it, from the origin's configuration: train, gate and publish to
 * PUBLISH_TARGET every RETRAIN_INTERVAL_SECONDS and after RETRAIN_AFTER_EVENTS new records, counted from
 * the last run recorded in the registry (so a restart keeps the cadence). Null when
 * both are 0 (the default), so a plain ingestion server does no training and never loads the trainers,
 * onnxruntime or Miniflare (they are imported only when retraining is on).
 */
import type { OriginConfig } from "../config.ts";
import type { OriginStores } from "../ingest/index.ts";
import type { RetrainScheduler } from "../train/index.ts";

export async function startScheduledRetraining(
  config: OriginConfig,
  stores: Pick<OriginStores, "eventStore" | "database">,
  log: (line: string) => void = (line) => console.log(line),
): Promise<RetrainScheduler | null> {
  if (config.RETRAIN_INTERVAL_SECONDS === 0 && config.RETRAIN_AFTER_EVENTS === 0) {
    return null;
  }
  const [release, train] = await Promise.all([import("../release/index.ts"), import("../train/index.ts")]);
  const target =
    config.PUBLISH_TARGET === "cloudflare"
      ? ({ kind: "cloudflare" } as const)
      : ({ kind: "local", dir: config.PUBLISH_LOCAL_DIR } as const);
  const registry = release.createModelRegistry(stores.database.db);
  const deps = { eventStore: stores.eventStore, registry, targets: release.targetsRunner(target) };
  const settings = train.trainingCycleSettings(config);
  const scheduler = await train.startRetrainScheduler({
    intervalSeconds: config.RETRAIN_INTERVAL_SECONDS,
    afterEvents: config.RETRAIN_AFTER_EVENTS,
    pollSeconds: config.RETRAIN_POLL_SECONDS,
    lastRunStartedAt: async () => (await registry.listRuns(1))[0]?.startedAt ?? null,
    latestEventSeq: (receivedBy) => train.latestEventSeq(stores.database.sql, receivedBy),
    run: (trigger) =>
      train.runTrainingCycle(deps, {
        trigger,
        publish: true,
        ...settings,
        pipeline: { ...settings.pipeline, ...train.contentOptions(config) },
      }),
    log,
  });
  const every = [
    config.RETRAIN_INTERVAL_SECONDS > 0 ? `every ${config.RETRAIN_INTERVAL_SECONDS} s` : null,
    config.RETRAIN_AFTER_EVENTS > 0 ? `after ${config.RETRAIN_AFTER_EVENTS} new records` : null,
  ].filter((part) => part !== null);
  log(`retraining ${every.join(" and ")}, publishing to ${release.describeTarget(target)}`);
  return scheduler;
}
