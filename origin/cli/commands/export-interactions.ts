import { parseArgs } from "node:util";
import { valueRanges } from "../../config.ts";
import { parseEventTime } from "../../ingest/index.ts";
import { EXPORT_FILES, exportInteractions } from "../../train/index.ts";
import { type Command, UsageError } from "../command.ts";
import { withRegistry } from "../training-context.ts";

const usage = `usage: edgewise export-interactions DIR [--since TIME] [--until TIME]

Writes the interactions the recommender trains on as Parquet in DIR, for an engine past one machine
(Spark MLlib ALS with implicitPrefs, Python implicit, BigQuery ML): the training run's window and rules.

  ${EXPORT_FILES.interactions}  user_index INT32, item_index INT32, confidence FLOAT (the summed event
                        weights iALS fits here), events INT32 (events per pair)
  ${EXPORT_FILES.users}         user_index INT32, user_id STRING
  ${EXPORT_FILES.items}         item_index INT32, item_id STRING

  --since TIME      events at or after TIME (ISO-8601 or epoch); default TRAIN_WINDOW_DAYS before --until
  --until TIME      events before TIME; default just after the newest stored interaction

docs/spark-als-handoff.md has a Spark ALS job that reads these files.`;

function time(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const ms = parseEventTime(text, { format: "auto", assumeUtc: true });
  if (typeof ms === "string") {
    throw new UsageError(`${flag}: ${ms}`);
  }
  return ms;
}

export const exportInteractionsCommand: Command = {
  summary: "write the training interactions as Parquet for Spark ALS, implicit or BigQuery ML",
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { since: { type: "string" }, until: { type: "string" } },
    });
    if (positionals.length !== 1) {
      throw new UsageError("name one DIR to write the Parquet files into");
    }
    const since = time("--since", values.since);
    const until = time("--until", values.until);
    return withRegistry(async ({ config, stores }) => {
      const summary = await exportInteractions(stores.eventStore, positionals[0]!, {
        window: {
          days: config.TRAIN_WINDOW_DAYS,
          ...(since === undefined ? {} : { sinceMs: since }),
          ...(until === undefined ? {} : { untilMs: until }),
        },
        ranges: valueRanges(config),
      });
      console.log(
        `${summary.dir}: ${summary.pairs} user-item pairs from ${summary.events} events ` +
          `(${summary.users} users, ${summary.items} items; ${summary.window})`,
      );
      return 0;
    });
  },
};
