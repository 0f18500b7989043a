import { parseArgs } from "node:util";
import { inTurn } from "../../ingest/index.ts";
import { PublishError, rollbackRelease, withPublishTargets } from "../../release/index.ts";
import { type Command, UsageError } from "../command.ts";
import { publishTarget, targetOptions, targetUsage, withRegistry } from "../training-context.ts";

const usage = `usage: edgewise rollback [VERSION] [--local DIR | --cloudflare]

Serves an earlier release again, without a redeploy: rewrites the edge's current manifest to release
VERSION (default: the one serving before the current one) under a new manifest number, restores the
users' features from that release, and marks the models in the registry (rolled_back / published).
\`edgewise releases\` lists the versions. Edges follow within MANIFEST_TTL_SECONDS and FEATURE_TTL_SECONDS.

${targetUsage}`;

export const rollbackCommand: Command = {
  summary: "serve an earlier release again (models, catalogue and user features)",
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: targetOptions });
    if (positionals.length > 1) {
      throw new UsageError("give at most one VERSION");
    }
    const toVersion = positionals[0] === undefined ? undefined : Number(positionals[0]);
    if (toVersion !== undefined && !(Number.isSafeInteger(toVersion) && toVersion >= 0)) {
      throw new UsageError(`VERSION must be a release number; got '${positionals[0]}'`);
    }
    const target = publishTarget(values);
    return withRegistry(async ({ registry, stores }) => {
      try {
        // Under the publish lock: a publish or learning run writing the manifest meanwhile goes first.
        const { manifest, restoredUsers, repaired } = await inTurn(stores.database.sql.locks, "publish", () =>
          withPublishTargets(target, (targets) =>
            rollbackRelease(targets, registry, toVersion === undefined ? {} : { toVersion }),
          ),
        );
        if (repaired) {
          console.log(`repaired: ${repaired.message}`);
        }
        console.log(
          `manifest ${manifest.version} now serves release ${manifest.restoredFrom} ` +
            `(was ${manifest.previousVersion}); restored features of ${restoredUsers} users`,
        );
        return 0;
      } catch (error) {
        if (error instanceof PublishError) {
          console.error(`edgewise rollback: ${error.message}`);
          return 1;
        }
        throw error;
      }
    });
  },
};
