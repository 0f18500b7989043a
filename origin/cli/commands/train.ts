import { parseArgs } from "node:util";
import { valueRanges } from "../../config.ts";
import { headlineMetric, targetsRunner } from "../../release/index.ts";
import { imageFeaturesOption, runTrainingCycle, type TrainingCycleResult } from "../../train/index.ts";
import type { Command } from "../command.ts";
import {
  publishTarget,
  targetOptions,
  targetUsage,
  trainingProgress,
  withRegistry,
} from "../training-context.ts";

const usage = `usage: edgewise train [--publish] [--force] [--local DIR | --cloudflare] [--no-progress]

Trains every model from the configured event store (see edgewise serve --help): recommendations (iALS,
or popularity when data is thin), review sentiment and purchase probability when the data supports them,
and evaluates them on held-out data. Records them in the model registry as candidates; with --publish,
also gates them against the serving versions (PUBLISH_TOLERANCE, default 0.02) and publishes.

  --publish         gate and publish (what \`edgewise publish\` does)
  --force           publish even if the gate refuses (the refusal is still recorded)
${targetUsage}
  --no-progress     no progress bars

Exit status: 0 trained or published, 3 refused by the gate, 1 failed or nothing to train.`;

export const trainOptions = {
  ...targetOptions,
  force: { type: "boolean" },
  "no-progress": { type: "boolean" },
} as const;

/** Runs one logged training cycle from parsed options and prints what happened; resolves to the exit code. */
export async function trainAndReport(
  values: { local?: string; cloudflare?: boolean; force?: boolean; "no-progress"?: boolean },
  publish: boolean,
): Promise<number> {
  const target = publishTarget(values);
  return withRegistry(async ({ config, stores, registry }) => {
    const progress = trainingProgress(
      await stores.eventStore.countEvents(),
      values["no-progress"] ? false : undefined,
    );
    let result: TrainingCycleResult;
    try {
      result = await runTrainingCycle(
        { eventStore: stores.eventStore, registry, targets: targetsRunner(target) },
        {
          trigger: "manual",
          publish,
          tolerance: config.PUBLISH_TOLERANCE,
          ...(values.force ? { force: true } : {}),
          pipeline: {
            onProgress: progress.onProgress,
            valueRanges: valueRanges(config),
            ...imageFeaturesOption(config),
          },
        },
      );
    } finally {
      progress.stop();
    }
    printResult(result);
    return result.outcome === "rejected"
      ? 3
      : result.outcome === "trained" || result.outcome === "published"
        ? 0
        : 1;
  });
}

function printResult(result: TrainingCycleResult): void {
  console.log(`run ${result.runId}: ${result.outcome}`);
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
      const baseline = candidate.metrics[`popularity_${metric}`];
      console.log(
        `  ${candidate.name.padEnd(10)} ${candidate.kind.padEnd(18)} ${metric} ${value?.toFixed(4) ?? "n/a"}` +
          `${baseline === undefined ? "" : ` (popularity ${baseline.toFixed(4)})`}  ${(candidate.sizeBytes / 1024).toFixed(1)} KiB`,
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
  if (result.outcome === "failed" || result.outcome === "skipped") {
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
