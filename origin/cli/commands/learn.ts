import { parseArgs } from "node:util";
import { loadOriginConfig } from "../../config.ts";
import { openOriginStores } from "../../ingest/index.ts";
import { createLearningStore, learningOptionsFromConfig, runLearning } from "../../learn/index.ts";
import { describeTarget, targetsRunner } from "../../release/index.ts";
import { type Command, UsageError } from "../command.ts";
import { publishTarget, targetOptions, targetUsage } from "../training-context.ts";

const usage = `usage: edgewise learn [--force] [--local DIR | --cloudflare | --no-publish] [--now TIME] [--json]

One learning run, as \`edgewise serve\` runs every LEARN_INTERVAL_SECONDS: joins the edge's decision and
reward logs (decisions whose window has closed, LEARN_WINDOW_SECONDS after them, LEARN_ARRIVAL_DELAY_SECONDS
behind the clock), adds them to each bandit policy, evaluates each on its holdout decisions against what the
logs observed (doubly robust off-policy evaluation) and publishes the policies that are not worse (the
\`bandit\` artifact; everything else the manifest serves is carried over). See docs/learning-loop.md.

  --force           publish every updated policy, even one the gate refuses or cannot judge yet
${targetUsage}
  --no-publish      learn and record only
  --now TIME        the wall clock, ISO-8601 or epoch ms (default: now)
  --json            print the run's report as JSON`;

function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--now: '${value}' is neither ISO-8601 nor epoch milliseconds`);
  }
  return ms;
}

export const learnCommand: Command = {
  summary: "join decision and reward logs, update the bandit policies, gate and publish them",
  usage,
  async run(args) {
    let values: {
      force?: boolean;
      local?: string;
      cloudflare?: boolean;
      "no-publish"?: boolean;
      now?: string;
      json?: boolean;
    };
    try {
      values = parseArgs({
        args,
        options: {
          ...targetOptions,
          force: { type: "boolean" },
          "no-publish": { type: "boolean" },
          now: { type: "string" },
          json: { type: "boolean" },
        },
      }).values;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values["no-publish"] && (values.local !== undefined || values.cloudflare)) {
      throw new UsageError("--no-publish takes no publish target");
    }
    const target = values["no-publish"] ? null : publishTarget(values);
    const nowMs = parseNow(values.now);
    const config = loadOriginConfig();
    const stores = await openOriginStores(config);
    try {
      await stores.migrate();
      const report = await runLearning(
        {
          store: createLearningStore(stores.database.sql),
          ...(target === null ? {} : { withTargets: targetsRunner(target) }),
        },
        {
          ...learningOptionsFromConfig(config),
          force: values.force === true,
          ...(nowMs === undefined ? {} : { nowMs }),
        },
      );
      if (values.json) {
        console.log(JSON.stringify(report));
      } else {
        console.log(
          `learning run ${report.runId}${target === null ? "" : ` (publishing to ${describeTarget(target)})`}`,
        );
        console.log(report.message.split("; ").join("\n"));
      }
      return 0;
    } finally {
      await stores.close();
    }
  },
};
