import { type Command, UsageError } from "./command.ts";

/**
 * Subcommands by name, imported only when run: `edgewise ingest` should not pay for loading
 * workerd's runner, nor `edgewise start` for the database drivers.
 */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: "run the local stack: the edge Worker in workerd with local KV",
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
    summary: "load NDJSON, JSON or MovieLens ratings from a file",
    load: async () => (await import("./commands/ingest.ts")).ingestCommand,
  },
  eval: {
    summary: "train on one file and evaluate on another: recs | sentiment | behaviour",
    load: async () => (await import("./commands/eval.ts")).evalCommand,
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
