/**
 * The learning schedule as `edgewise serve` runs it, from the origin's configuration: a learning run every
 * LEARN_INTERVAL_SECONDS, publishing to PUBLISH_TARGET like scheduled retraining. Null when the interval
 * is 0.
 */
import type { OriginConfig } from "../config.ts";
import type { LearningStore } from "./learning-store.ts";
import { type LearningOptions, runLearning } from "./run-learning.ts";
import { type LearningScheduler, startLearningScheduler } from "./scheduled-learning.ts";

export function learningOptionsFromConfig(config: OriginConfig): LearningOptions {
  return {
    windowMs: config.LEARN_WINDOW_SECONDS * 1000,
    arrivalDelayMs: config.LEARN_ARRIVAL_DELAY_SECONDS * 1000,
    defaultReward: config.LEARN_DEFAULT_REWARD,
  };
}

export async function startServeLearning(
  config: OriginConfig,
  store: LearningStore,
  log: (line: string) => void = (line) => console.log(line),
): Promise<LearningScheduler | null> {
  if (config.LEARN_INTERVAL_SECONDS === 0) {
    return null;
  }
  // Loaded only when learning is on: it brings Miniflare for a local target.
  const { describeTarget, targetsRunner } = await import("../release/index.ts");
  const target =
    config.PUBLISH_TARGET === "cloudflare"
      ? ({ kind: "cloudflare" } as const)
      : ({ kind: "local", dir: config.PUBLISH_LOCAL_DIR } as const);
  const options = learningOptionsFromConfig(config);
  // Made now, so that a Cloudflare target's missing variables stop the server at start.
  const withTargets = targetsRunner(target);
  const scheduler = startLearningScheduler({
    intervalSeconds: config.LEARN_INTERVAL_SECONDS,
    hasWork: () => store.hasWorkBefore(Date.now() - (options.arrivalDelayMs ?? 0) - (options.windowMs ?? 0)),
    run: (runOptions) => runLearning({ store, withTargets }, runOptions),
    options,
    log,
  });
  log(`learning every ${config.LEARN_INTERVAL_SECONDS} s, publishing to ${describeTarget(target)}`);
  return scheduler;
}
