/**
 * The scheduler as `edgewise serve` runs it, from the origin's configuration: train, gate and publish to
 * PUBLISH_TARGET every RETRAIN_INTERVAL_SECONDS and after RETRAIN_AFTER_EVENTS new records. Null when
 * both are 0 (the default), so a plain ingestion server does no training and never loads the trainers,
 * onnxruntime or Miniflare (they are imported only when retraining is on).
 */
import type { OriginConfig } from "../config.ts";
// node builtins only: the image decoder (sharp) loads with the pipeline, when a run starts
import { imageFeaturesOption } from "../enrichment/images/image-fetch-config.ts";
import type { OriginStores } from "../open-stores.ts";
import type { RetrainScheduler } from "./scheduler.ts";

export async function startScheduledRetraining(
  config: OriginConfig,
  stores: Pick<OriginStores, "eventStore" | "database">,
  log: (line: string) => void = (line) => console.log(line),
): Promise<RetrainScheduler | null> {
  if (config.RETRAIN_INTERVAL_SECONDS === 0 && config.RETRAIN_AFTER_EVENTS === 0) {
    return null;
  }
  const [
    { createModelRegistry },
    { latestEventSeq },
    targets,
    { startRetrainScheduler },
    { runTrainingCycle },
  ] = await Promise.all([
    import("../registry/index.ts"),
    import("./latest-event-seq.ts"),
    import("./publish-targets.ts"),
    import("./scheduler.ts"),
    import("./training-cycle.ts"),
  ]);
  const target =
    config.PUBLISH_TARGET === "cloudflare"
      ? ({ kind: "cloudflare" } as const)
      : ({ kind: "local", dir: config.PUBLISH_LOCAL_DIR } as const);
  const deps = {
    eventStore: stores.eventStore,
    registry: createModelRegistry(stores.database.db),
    targets: targets.targetsRunner(target),
  };
  const scheduler = await startRetrainScheduler({
    intervalSeconds: config.RETRAIN_INTERVAL_SECONDS,
    afterEvents: config.RETRAIN_AFTER_EVENTS,
    pollSeconds: config.RETRAIN_POLL_SECONDS,
    latestEventSeq: () => latestEventSeq(stores.database.sql),
    run: (trigger) =>
      runTrainingCycle(deps, {
        trigger,
        publish: true,
        tolerance: config.PUBLISH_TOLERANCE,
        pipeline: imageFeaturesOption(config),
      }),
    log,
  });
  const every = [
    config.RETRAIN_INTERVAL_SECONDS > 0 ? `every ${config.RETRAIN_INTERVAL_SECONDS} s` : null,
    config.RETRAIN_AFTER_EVENTS > 0 ? `after ${config.RETRAIN_AFTER_EVENTS} new records` : null,
  ].filter((part) => part !== null);
  log(`retraining ${every.join(" and ")}, publishing to ${targets.describeTarget(target)}`);
  return scheduler;
}
