import { parseArgs } from "node:util";
import { kvKeys } from "../../../models/contracts/index.ts";
import {
  headlineMetric,
  listReleases,
  readManifest,
  servedModels,
  withPublishTargets,
} from "../../release/index.ts";
import { type Command, UsageError } from "../command.ts";
import { publishTarget, targetOptions, targetUsage, withRegistry } from "../training-context.ts";

const usage = `usage: edgewise releases [--local DIR | --cloudflare] [--limit N]

Lists the releases kept in the edge's KV (oldest first; * marks the one serving) with the model
versions each serves, then the newest model versions and training runs in the registry.

${targetUsage}
  --limit N         registry rows to show (default 20)`;

export const releasesCommand: Command = {
  summary: "list published releases, model versions and training runs",
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: { ...targetOptions, limit: { type: "string" } } });
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError("--limit must be a positive integer");
    }
    const target = publishTarget(values);
    const releases = await withPublishTargets(target, async (targets) => {
      const listed = await listReleases(targets.models);
      return Promise.all(
        listed.map(async (release) => {
          const manifest = await readManifest(targets.models, kvKeys.manifest(release.version));
          return { ...release, models: manifest ? servedModels(manifest) : [] };
        }),
      );
    });
    console.log(releases.length === 0 ? "no releases in KV" : "releases:");
    for (const release of releases) {
      const restored = release.restoredFrom === undefined ? "" : ` (rollback to ${release.restoredFrom})`;
      const models = release.models.map((m) => `${m.name}@${m.version}`).join(", ");
      console.log(
        `${release.current ? "*" : " "} ${String(release.version).padStart(4)}  ${release.publishedAt}${restored}  ${models}`,
      );
    }
    await withRegistry(async ({ registry }) => {
      const versions = await registry.list({ limit });
      console.log(versions.length === 0 ? "\nno model versions in the registry" : "\nmodel versions:");
      for (const v of versions) {
        const metric = headlineMetric(v.kind);
        const value = v.metrics[metric];
        const manifest =
          v.publishedManifestVersion === null ? "" : `  manifest ${v.publishedManifestVersion}`;
        console.log(
          `  ${v.name.padEnd(10)} ${v.version.padEnd(26)} ${v.status.padEnd(11)} ${metric} ${value?.toFixed(4) ?? "n/a"}${manifest}`,
        );
      }
      const runs = await registry.listRuns(limit);
      console.log(runs.length === 0 ? "\nno training runs" : "\ntraining runs:");
      for (const run of runs) {
        console.log(
          `  ${run.id.padEnd(26)} ${run.trigger.padEnd(8)} ${run.outcome.padEnd(9)} ${run.message ?? ""}`,
        );
      }
    });
    return 0;
  },
};
