import { parseArgs } from "node:util";
import { type BehaviourTarget, parseBehaviourTarget } from "../../../models/contracts/index.ts";
import type { OriginConfig } from "../../config.ts";
import type { OriginStores } from "../../ingest/index.ts";
import { headlineMetric, targetsRunner } from "../../release/index.ts";
import {
  contentOptions,
  type RecommenderStep,
  runTrainingCycle,
  type TrainingCycleResult,
  trainingCycleSettings,
} from "../../train/index.ts";
import { type Command, UsageError } from "../command.ts";
import {
  publishTarget,
  targetOptions,
  targetUsage,
  trainingProgress,
  withRegistry,
} from "../training-context.ts";

const usage = `usage: edgewise train [--publish] [--force] [--since TIME] [--until TIME]
                     [--behaviour-target SPEC] [--local DIR | --cloudflare] [--no-progress]

Trains every model from the configured event store (see edgewise serve --help): recommendations (iALS,
or popularity when data is thin), review sentiment and purchase probability when the data supports them,
and evaluates them on held-out data. Records them in the model registry as candidates; a model that does
not beat its naive baseline (popularity, the AFINN lexicon, the base rate) by BASELINE_MARGIN (default
0.02) is recorded as refused. With --publish, also gates them against the serving versions
(PUBLISH_TOLERANCE, default 0.02) and publishes; a model refused against its baseline is left out and the
edge keeps its fallback for it.

The training window ends at the newest stored interaction and reaches back TRAIN_WINDOW_DAYS (default 365;
0 = all history), whatever the date today.

  --publish         gate and publish (what \`edgewise publish\` does)
  --force           publish even if the serving comparison refuses (recorded; never past the baseline)
  --since TIME      train on events at or after TIME (ISO-8601, or epoch milliseconds)
  --until TIME      train on events before TIME (default: just after the newest stored interaction)
  --behaviour-target SPEC
                    what the behaviour model predicts (default BEHAVIOUR_TARGET, else event:purchase:7d):
                    event:TYPE:Nd (an event of TYPE within N days, e.g. event:add_to_cart:14d) or
                    attribute:NAME[=V1,V2] (a user attribute, e.g. attribute:churned, attribute:plan=premium)
${targetUsage}
  --no-progress     no progress bars

Exit status: 0 trained or published, 3 refused by the gate, 4 busy (another training run is going on
this database), 1 failed or nothing to train.`;

export const trainOptions = {
  ...targetOptions,
  force: { type: "boolean" },
  since: { type: "string" },
  until: { type: "string" },
  "behaviour-target": { type: "string" },
  "no-progress": { type: "boolean" },
} as const;

/**
 * Runs one logged training cycle from parsed options and prints what happened; resolves to the exit code.
 * `recommender`, when given, replaces the fit (import-factors); it is made once the stores are open.
 */
export async function trainAndReport(
  values: {
    local?: string;
    cloudflare?: boolean;
    force?: boolean;
    since?: string;
    until?: string;
    "behaviour-target"?: string;
    "no-progress"?: boolean;
  },
  publish: boolean,
  recommender?: (context: { config: OriginConfig; stores: OriginStores }) => RecommenderStep,
): Promise<number> {
  const target = publishTarget(values);
  const since = values.since === undefined ? undefined : parseTime("--since", values.since);
  const until = values.until === undefined ? undefined : parseTime("--until", values.until);
  const behaviourTarget =
    values["behaviour-target"] === undefined ? undefined : parseTarget(values["behaviour-target"]);
  return withRegistry(async ({ config, stores, registry }) => {
    const progress = trainingProgress(
      await stores.eventStore.countEvents(),
      values["no-progress"] ? false : undefined,
    );
    const settings = trainingCycleSettings(config);
    let result: TrainingCycleResult;
    try {
      result = await runTrainingCycle(
        { eventStore: stores.eventStore, registry, targets: targetsRunner(target) },
        {
          trigger: "manual",
          publish,
          ...settings,
          ...(values.force ? { force: true } : {}),
          pipeline: {
            ...settings.pipeline,
            window: {
              ...settings.pipeline.window,
              ...(since === undefined ? {} : { sinceMs: since }),
              ...(until === undefined ? {} : { untilMs: until }),
            },
            ...(behaviourTarget
              ? { behaviour: { ...settings.pipeline.behaviour, target: behaviourTarget } }
              : {}),
            onProgress: progress.onProgress,
            ...contentOptions(config),
            ...(recommender ? { recommender: recommender({ config, stores }) } : {}),
          },
        },
      );
    } finally {
      progress.stop();
    }
    printResult(result);
    return exitCodes[result.outcome];
  });
}

function parseTarget(text: string): BehaviourTarget {
  try {
    return parseBehaviourTarget(text);
  } catch (error) {
    throw new UsageError(`--behaviour-target: ${(error as Error).message}`);
  }
}

/** ISO-8601 (a date or a date-time) or epoch milliseconds. */
function parseTime(flag: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${flag} takes an ISO-8601 time or epoch milliseconds, not ${JSON.stringify(text)}`);
  }
  return ms;
}

const exitCodes: Record<TrainingCycleResult["outcome"], number> = {
  trained: 0,
  published: 0,
  rejected: 3,
  busy: 4,
  skipped: 1,
  failed: 1,
};

function printResult(result: TrainingCycleResult): void {
  console.log(`run ${result.runId ?? "not started"}: ${result.outcome}`);
  const release = result.release;
  if (release) {
    const window = `${new Date(release.dataWindow.startMs).toISOString()} … ${new Date(release.dataWindow.endMs).toISOString()}`;
    console.log(
      `  data: ${release.counts.events} events, ${release.counts.users} users, ${release.counts.items} items, ` +
        `${release.counts.reviews} reviews (${window})`,
    );
    for (const candidate of release.candidates) {
      const metric = headlineMetric(candidate.kind);
      const value = candidate.metrics[metric];
      const baseline = candidate.baseline;
      console.log(
        `  ${candidate.name.padEnd(10)} ${candidate.kind.padEnd(18)} ${metric} ${value?.toFixed(4) ?? "n/a"}` +
          `${baseline === undefined ? "" : ` (${baseline.name} ${baseline.value.toFixed(4)})`}  ${(candidate.sizeBytes / 1024).toFixed(1)} KiB`,
      );
    }
    for (const note of release.notes) {
      console.log(`  note: ${note}`);
    }
    if (release.skipped.total > 0) {
      console.log(`  skipped: ${release.skipped.total} stored rows or fields the models cannot use:`);
      for (const [reason, count] of Object.entries(release.skipped.reasons)) {
        console.log(`    ${count} × ${reason}`);
      }
    }
    console.log(`  timings (ms): ${JSON.stringify(release.timingsMs)}`);
  }
  for (const decision of result.publish?.decisions ?? []) {
    console.log(`  gate: ${decision.name}: ${decision.accepted ? "pass" : "refused"}: ${decision.reason}`);
  }
  if (result.publish?.repaired) {
    console.log(`  repaired: ${result.publish.repaired.message}`);
  }
  if (result.publish?.manifest) {
    console.log(`  published manifest ${result.publish.manifest.version}`);
  }
  if (result.outcome === "failed" || result.outcome === "skipped" || result.outcome === "busy") {
    console.log(`  ${result.message}`);
  }
}

export const trainCommand: Command = {
  summary: "train and evaluate every model; record them in the registry (and publish with --publish)",
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: { ...trainOptions, publish: { type: "boolean" } } });
    return trainAndReport(values, values.publish === true);
  },
};
