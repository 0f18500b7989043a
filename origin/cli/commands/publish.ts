import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { targetUsage } from "../training-context.ts";
import { trainAndReport, trainOptions } from "./train.ts";

const usage = `usage: edgewise publish [--force] [--local DIR | --cloudflare] [--no-progress]

Trains every model from the configured event store, records them in the model registry, compares each
with the serving version (nDCG@10 for recommendations, AUC for classifiers; refused when worse by more
than PUBLISH_TOLERANCE, default 0.02 relative) and publishes the release to the edge's KV: models and
catalogue first, then user features, then the manifest. Every decision is logged in the registry.

  --force           publish even if the gate refuses (the refusal is still recorded)
${targetUsage}
  --no-progress     no progress bars

Exit status: 0 published, 3 refused by the gate, 4 busy (another training run is going on this
database), 1 failed or nothing to train.`;

export const publishCommand: Command = {
  summary: "train, gate against the serving models and publish to the edge",
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: trainOptions });
    return trainAndReport(values, true);
  },
};
