/**
 * Where a release goes: the local edge's KV (a Miniflare persistence directory, what `edgewise start`
 * serves from) or Cloudflare's (the REST API, configured by CLOUDFLARE_* and CF_KV_* variables).
 * `withPublishTargets` opens them for one piece of work and always closes them: a local KV holds a
 * workerd process, which a long-running origin should not keep between runs.
 */
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.ts";
import {
  cloudflareKvConfigFromEnv,
  cloudflareKvTargetsFromEnv,
  createMiniflareKvWriter,
  type PublishTargets,
} from "./publish/index.ts";

export type PublishTargetChoice = { kind: "local"; dir: string } | { kind: "cloudflare" };

export function describeTarget(choice: PublishTargetChoice): string {
  return choice.kind === "local" ? `local edge KV in ${path.resolve(choice.dir)}` : "Cloudflare Workers KV";
}

export async function withPublishTargets<T>(
  choice: PublishTargetChoice,
  work: (targets: PublishTargets) => Promise<T>,
  env: Record<string, string | undefined> = process.env,
): Promise<T> {
  if (choice.kind === "cloudflare") {
    return work(cloudflareKvTargetsFromEnv(env));
  }
  // Loaded here, not at the top: Miniflare and wrangler are heavy, and a process that only ingests or
  // publishes to Cloudflare loads the release flow without needing them.
  const { openLocalKv } = await import("./publish/open-local-kv.ts");
  const kv = await openLocalKv({ rootDir: PACKAGE_ROOT, persistDir: choice.dir });
  try {
    return await work({
      models: createMiniflareKvWriter(kv.models),
      features: createMiniflareKvWriter(kv.features),
    });
  } finally {
    await kv.dispose();
  }
}

/** A function that runs work against fixed targets, e.g. a test's running edge. */
export type TargetsRunner = <T>(work: (targets: PublishTargets) => Promise<T>) => Promise<T>;

/**
 * Work against the chosen targets, opened for each piece of work. Cloudflare's variables are checked
 * here, when the runner is made, so that `publish --cloudflare` or a server publishing to Cloudflare
 * says what is missing before it trains for minutes, not after.
 */
export function targetsRunner(
  choice: PublishTargetChoice,
  env: Record<string, string | undefined> = process.env,
): TargetsRunner {
  if (choice.kind === "cloudflare") {
    cloudflareKvConfigFromEnv(env);
  }
  return (work) => withPublishTargets(choice, work, env);
}

export function fixedTargets(targets: PublishTargets): TargetsRunner {
  return (work) => work(targets);
}
