import { type Command, UsageError } from "./command.ts";
import { operatorError } from "./operator-error.ts";

/**
 * Subcommands by name, imported only when run: `edgewise ingest` should not pay for loading
 * workerd's runner, nor `edgewise start` for the database drivers.
 */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: "run the local stack: origin + edge Worker, with a sample shop trained and published",
    load: async () => (await import("./commands/start.ts")).startCommand,
  },
  serve: {
    summary: "run the origin's ingestion API",
    load: async () => (await import("./commands/serve.ts")).serveCommand,
  },
  migrate: {
    summary: "apply the database migrations",
    load: async () => (await import("./commands/migrate.ts")).migrateCommand,
  },
  ingest: {
    summary: "load NDJSON, JSON, MovieLens ratings, or a column-mapped CSV or Parquet file",
    load: async () => (await import("./commands/ingest.ts")).ingestCommand,
  },
  import: {
    summary: "import a CSV or Parquet export (with a column mapping) or Segment/RudderStack event lines",
    load: async () => (await import("./commands/import.ts")).importCommand,
  },
  eval: {
    summary: "train on one file and evaluate on another: recs | sentiment | behaviour",
    load: async () => (await import("./commands/eval.ts")).evalCommand,
  },
  "export-interactions": {
    summary: "write the training interactions as Parquet for Spark ALS, implicit or BigQuery ML",
    load: async () => (await import("./commands/export-interactions.ts")).exportInteractionsCommand,
  },
  "import-factors": {
    summary: "serve user and item factors fitted elsewhere (Spark ALS, implicit), through the same gate",
    load: async () => (await import("./commands/import-factors.ts")).importFactorsCommand,
  },
  train: {
    summary: "train and evaluate every model; record them in the registry (and publish with --publish)",
    load: async () => (await import("./commands/train.ts")).trainCommand,
  },
  publish: {
    summary: "train, gate against the serving models and publish to the edge",
    load: async () => (await import("./commands/publish.ts")).publishCommand,
  },
  rollback: {
    summary: "serve an earlier release again (models, catalogue and user features)",
    load: async () => (await import("./commands/rollback.ts")).rollbackCommand,
  },
  releases: {
    summary: "list published releases, model versions and training runs",
    load: async () => (await import("./commands/releases.ts")).releasesCommand,
  },
  learn: {
    summary: "join decision and reward logs, update the bandit policies, gate and publish them",
    load: async () => (await import("./commands/learn.ts")).learnCommand,
  },
  "evaluate-policy": {
    summary:
      "estimate a candidate bandit policy on logged decisions (IPS, SNIPS, DR) and gate its publishing",
    load: async () => (await import("./commands/evaluate-policy.ts")).evaluatePolicyCommand,
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    printHelp();
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`edgewise: unknown command '${name}'\n`);
    printHelp();
    return 2;
  }
  const command = await entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`edgewise ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    const known = operatorError(error);
    if (known) {
      console.error(`edgewise ${name}: ${known.message}`);
      return known.exitCode;
    }
    throw error;
  }
}

function printHelp(): void {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  console.log("usage: edgewise <command> [options]\n\ncommands:");
  for (const [name, { summary }] of Object.entries(commands)) {
    console.log(`  ${name.padEnd(width)}  ${summary}`);
  }
}
