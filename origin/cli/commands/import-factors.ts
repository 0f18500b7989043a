import { parseArgs } from "node:util";
import { valueRanges } from "../../config.ts";
import { importedRecommender, readImportedFactors } from "../../train/index.ts";
import { type Command, UsageError } from "../command.ts";
import { targetUsage } from "../training-context.ts";
import { trainAndReport, trainOptions } from "./train.ts";

const usage = `usage: edgewise import-factors --users FILE --items FILE --until TIME [--since TIME]
                              [--handoff DIR] [--force] [--local DIR | --cloudflare] [--no-progress]

Serves user and item factors fitted past this machine (Spark MLlib ALS, Python implicit, BigQuery ML)
on the interactions \`edgewise export-interactions\` wrote. A training run with the fit replaced by the
files: the same int8 catalogue (with its IVF index), user features, registry candidates, baseline gate
and publish as \`edgewise publish\`; the sentiment and behaviour models train as they do there.

The gate needs interactions the factors never saw: export with --until TIME, fit, and import with the
same --until TIME. The events from TIME on are held out, and the factors serve only if they rank each
user's new items better than popularity by BASELINE_MARGIN (default 0.02); otherwise popularity serves
and the refusal is recorded. Popularity, trending and each user's recent items come from the window.

  --users FILE      the user factors: Parquet or NPY (see below)
  --items FILE      the item factors, of the same width
  --until TIME      the end of the export the factors were fitted on (ISO-8601 or epoch milliseconds)
  --since TIME      its start; default TRAIN_WINDOW_DAYS before --until
  --handoff DIR     the export-interactions folder, to map row indices to ids (NPY files, or Spark's
                    raw userFactors/itemFactors whose id is the export's index)
  --force           publish even if the serving comparison refuses (recorded; never past the baseline)
${targetUsage}
  --no-progress     no progress bars

Factor files:
  Parquet  an id column (user_id / item_id, else user_index / item_index, else id: a string id is an
           Edgewise id, an integer one an index into the export's id file) and the vector as one list
           column (Spark's features array<float>) or as columns f0 … fN-1
  NPY      a float32 or float64 matrix, row r the export's index r (implicit's user_factors.npy)
Rows with no id, a NaN or infinite value, another width, an id named twice or one the store does not
know are skipped and counted in the run's notes; users without a vector get popularity.

Exit status: 0 published, 3 refused by the gate, 4 busy (another training run is going on this
database), 1 failed (unreadable files, too few held-out interactions) or nothing to train.

docs/spark-als-handoff.md walks through the round trip with a Spark ALS job.`;

export const importFactorsCommand: Command = {
  summary: "serve user and item factors fitted elsewhere (Spark ALS, implicit), through the same gate",
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...trainOptions,
        users: { type: "string" },
        items: { type: "string" },
        handoff: { type: "string" },
      },
    });
    if (values.users === undefined || values.items === undefined) {
      throw new UsageError("give --users FILE and --items FILE");
    }
    if (values.until === undefined) {
      throw new UsageError(
        "give --until TIME, the end of the export the factors were fitted on: the events after it gate them",
      );
    }
    const factors = await readImportedFactors({
      users: values.users,
      items: values.items,
      ...(values.handoff === undefined ? {} : { handoffDir: values.handoff }),
    });
    return trainAndReport(values, true, ({ config, stores }) =>
      importedRecommender(factors, {
        eventStore: stores.eventStore,
        ranges: valueRanges(config),
        baselineMargin: config.BASELINE_MARGIN,
      }),
    );
  },
};
