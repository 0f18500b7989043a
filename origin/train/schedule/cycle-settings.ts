/**
 * The training settings every way of starting a run shares (`edgewise train`/`publish`/`start`, the
 * scheduler): the gate's tolerance and baseline margin, the edge memory budget, the training window, the
 * value ranges and the behaviour model's target, read once
 * from the origin's configuration so that no entry point trains or gates differently.
 */
import { availableParallelism } from "node:os";
import { type OriginConfig, valueRanges } from "../../config.ts";
import type { TrainingCycleOptions } from "./training-cycle.ts";

export function trainingCycleSettings(config: OriginConfig): Pick<
  TrainingCycleOptions,
  "tolerance" | "baselineMargin" | "memoryBudgetBytes" | "featureCacheUsers"
> & {
  pipeline: NonNullable<TrainingCycleOptions["pipeline"]>;
} {
  return {
    tolerance: config.PUBLISH_TOLERANCE,
    baselineMargin: config.BASELINE_MARGIN,
    memoryBudgetBytes: Math.floor(config.EDGE_MEMORY_BUDGET_MIB * 1024 * 1024),
    featureCacheUsers: config.EDGE_FEATURE_CACHE_MAX_USERS,
    pipeline: {
      valueRanges: valueRanges(config),
      window: { days: config.TRAIN_WINDOW_DAYS },
      behaviour: { target: config.BEHAVIOUR_TARGET },
      recs: {
        baselineMargin: config.BASELINE_MARGIN,
        threads: config.TRAIN_THREADS > 0 ? config.TRAIN_THREADS : availableParallelism(),
        tuneBudgetFits: config.TRAIN_TUNE_FITS,
        tuneSampleUsers: config.TRAIN_TUNE_USERS,
      },
    },
  };
}
