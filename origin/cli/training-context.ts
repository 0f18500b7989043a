/**
 * What the train, publish, rollback and releases commands share: where to publish (`--local DIR` or
 * `--cloudflare`), the stores and the registry opened from the environment, and a progress display for
 * the training steps.
 */
import { MultiBar, Presets } from "cli-progress";
import { loadOriginConfig, type OriginConfig } from "../config.ts";
import { type OriginStores, openOriginStores } from "../ingest/index.ts";
import { createModelRegistry, type ModelRegistry, type PublishTargetChoice } from "../release/index.ts";
import { PIPELINE_STEPS, type PipelineProgress } from "../train/index.ts";
import { UsageError } from "./command.ts";

export const targetOptions = {
  local: { type: "string" },
  cloudflare: { type: "boolean" },
} as const;

export const targetUsage = `  --local DIR       publish to the local edge's KV in DIR (default: $PUBLISH_LOCAL_DIR, else
                    $EDGEWISE_DATA_DIR/edge, where \`edgewise start\` serves from; .edgewise/edge)
  --cloudflare      publish to Workers KV through the Cloudflare API (CLOUDFLARE_ACCOUNT_ID,
                    CLOUDFLARE_API_TOKEN, CF_KV_MODELS_NAMESPACE_ID, CF_KV_FEATURES_NAMESPACE_ID)`;

export function publishTarget(values: { local?: string; cloudflare?: boolean }): PublishTargetChoice {
  if (values.cloudflare && values.local !== undefined) {
    throw new UsageError("give --local DIR or --cloudflare, not both");
  }
  if (values.cloudflare) {
    return { kind: "cloudflare" };
  }
  return { kind: "local", dir: values.local ?? loadOriginConfig().PUBLISH_LOCAL_DIR };
}

/** Opens the configured stores (migrated) and the registry in them, runs `work`, closes them. */
export async function withRegistry<T>(
  work: (context: { config: OriginConfig; stores: OriginStores; registry: ModelRegistry }) => Promise<T>,
): Promise<T> {
  const config = loadOriginConfig();
  const stores = await openOriginStores(config);
  try {
    await stores.migrate();
    return await work({ config, stores, registry: createModelRegistry(stores.database.db) });
  } finally {
    await stores.close();
  }
}

/**
 * A bar over the training steps and, while reading, a second one over events (total: the store's event
 * count, taken once). Written to stderr, and only to a terminal: piped output stays clean.
 */
export function trainingProgress(
  totalEvents: number,
  enabled = process.stderr.isTTY === true,
): { onProgress: (progress: PipelineProgress) => void; stop: () => void } {
  if (!enabled) {
    return { onProgress: () => {}, stop: () => {} };
  }
  const bars = new MultiBar(
    { format: "{label} |{bar}| {value}/{total} {detail}", stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  const steps = bars.create(PIPELINE_STEPS.length, 0, { label: "train ", detail: "" });
  let events: ReturnType<MultiBar["create"]> | null = null;
  return {
    onProgress(progress) {
      if (progress.eventsRead !== undefined) {
        events ??= bars.create(Math.max(1, totalEvents), 0, { label: "events", detail: "" });
        events.update(Math.min(progress.eventsRead, Math.max(1, totalEvents)));
        return;
      }
      steps.update(PIPELINE_STEPS.indexOf(progress.step), { detail: progress.step });
    },
    stop() {
      steps.update(PIPELINE_STEPS.length, { detail: "done" });
      bars.stop();
    },
  };
}
