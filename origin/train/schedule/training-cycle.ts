/**
 * One logged training run, as `edgewise train`, `edgewise publish` and the scheduler all run it: open a row
 * in training_runs, train, then either record the candidates (train only) or gate and publish them, and
 * close the row with the outcome. A failure is an outcome too: it is logged and returned, not thrown, so a
 * scheduler keeps going and a CLI can choose its exit code.
 *
 * One run at a time among every process and instance on the database (the `train` run lock): a run started
 * while another is going does not start, and answers `busy`. Its publish waits for the `publish` lock, so it
 * never interleaves with a learning run's or a rollback's manifest write.
 */

import { type EventStore, inTurn } from "../../ingest/index.ts";
import { runsBusy, secondsSince, trainingRunDuration } from "../../metrics.ts";
import {
  judgeCandidate,
  type ModelRegistry,
  NoTrainingDataError,
  type PublishTrainedOutcome,
  publishTrainedRelease,
  type RunOutcome,
  type RunTrigger,
  type TargetsRunner,
  type TrainedRelease,
} from "../../release/index.ts";
import { newRunId } from "../pipeline/run-id.ts";
import { runTrainingPipeline, type TrainingPipelineOptions } from "../pipeline/run-training-pipeline.ts";

export interface TrainingCycleDeps {
  eventStore: EventStore;
  registry: ModelRegistry;
  /** Needed when `publish` is set. */
  targets?: TargetsRunner;
}

export interface TrainingCycleOptions {
  trigger: RunTrigger;
  publish: boolean;
  tolerance: number;
  /** BASELINE_MARGIN: how much better than its naive baseline each model must be. */
  baselineMargin?: number;
  /** Refuse to publish a release whose edge isolate footprint is over this (EDGE_MEMORY_BUDGET_MIB). */
  memoryBudgetBytes?: number;
  /** The edge's user cache size, for that estimate (EDGE_FEATURE_CACHE_MAX_USERS). */
  featureCacheUsers?: number;
  force?: boolean;
  now?: () => Date;
  pipeline?: Omit<TrainingPipelineOptions, "runId">;
}

export interface TrainingCycleResult {
  /** Null when the run did not start (busy). */
  runId: string | null;
  /** `busy`: another run held the lock, so this one did not start (and is not in the registry). */
  outcome: RunOutcome | "busy";
  message: string;
  release?: TrainedRelease;
  publish?: PublishTrainedOutcome;
  error?: Error;
}

function describeRelease(release: TrainedRelease): string {
  const models = release.candidates.map((c) => `${c.name}(${c.kind})`).join(", ");
  const skipped = release.notes.length > 0 ? `; ${release.notes.join("; ")}` : "";
  return `trained ${models} on ${release.counts.events} events${skipped}`;
}

export async function runTrainingCycle(
  deps: TrainingCycleDeps,
  options: TrainingCycleOptions,
): Promise<TrainingCycleResult> {
  const startNs = process.hrtime.bigint();
  const held = await deps.eventStore.locks.hold("train", "try", () => trainingCycle(deps, options));
  if (!held.acquired) {
    runsBusy.inc({ kind: "train" });
    return {
      runId: null,
      outcome: "busy",
      message:
        "another training run is going on this database (another process or instance); this one did not start",
    };
  }
  trainingRunDuration.observe(
    { trigger: options.trigger, outcome: held.value.outcome },
    secondsSince(startNs),
  );
  return held.value;
}

async function trainingCycle(
  deps: TrainingCycleDeps,
  options: TrainingCycleOptions,
): Promise<TrainingCycleResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const runId = newRunId(started.getTime());
  await deps.registry.startRun({ id: runId, trigger: options.trigger, startedAt: started });
  let result: TrainingCycleResult & { runId: string; outcome: RunOutcome };
  try {
    const release = await runTrainingPipeline({
      eventStore: deps.eventStore,
      now: started,
      options: { ...options.pipeline, runId },
    });
    if (!options.publish) {
      await deps.registry.recordCandidates(release.candidates);
      // Trained but not published: a model below its baseline is still marked refused, with the reason.
      for (const candidate of release.candidates) {
        const decision = judgeCandidate(candidate, null, {
          tolerance: options.tolerance,
          ...(options.baselineMargin === undefined ? {} : { baselineMargin: options.baselineMargin }),
        });
        if (decision.refusedBy === "baseline") {
          await deps.registry.markRejected([candidate], decision.reason);
        }
      }
      result = { runId, outcome: "trained", message: describeRelease(release), release };
    } else {
      if (!deps.targets) {
        throw new Error("publishing needs publish targets");
      }
      const targets = deps.targets;
      const published = await inTurn(deps.eventStore.locks, "publish", () =>
        targets((opened) =>
          publishTrainedRelease(opened, deps.registry, release, {
            tolerance: options.tolerance,
            ...(options.baselineMargin === undefined ? {} : { baselineMargin: options.baselineMargin }),
            ...(options.memoryBudgetBytes === undefined
              ? {}
              : { memoryBudgetBytes: options.memoryBudgetBytes }),
            ...(options.featureCacheUsers === undefined
              ? {}
              : { featureCacheUsers: options.featureCacheUsers }),
            ...(options.force ? { force: true } : {}),
          }),
        ),
      );
      result = {
        runId,
        outcome: published.published ? "published" : "rejected",
        message: `${describeRelease(release)}; ${published.message}`,
        release,
        publish: published,
      };
    }
  } catch (error) {
    const reason = error instanceof Error ? error : new Error(String(error));
    result =
      reason instanceof NoTrainingDataError
        ? { runId, outcome: "skipped", message: reason.message }
        : { runId, outcome: "failed", message: reason.message, error: reason };
  }
  await deps.registry.finishRun(runId, {
    outcome: result.outcome,
    message: result.message,
    finishedAt: now(),
  });
  return result;
}
