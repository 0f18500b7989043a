import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { kvKeys } from "../../../models/contracts/index.ts";
import { startLocalEdge } from "../../local-edge/local-edge.ts";
import { seedDemo } from "../../local-edge/seed-demo.ts";
import { issueApiKey } from "../../publish/api-keys.ts";
import { type Command, UsageError } from "../command.ts";

const usage = `usage: edgewise start [--port N] [--data-dir DIR]

Runs the edge Worker (built by \`npm run build\`) in a local workerd with KV persisted under
DIR/edge, seeds the demo models and users on first start, and serves until Ctrl-C.

  --port N        edge HTTP port (default: $EDGE_PORT or 8787)
  --data-dir DIR  local state (default: $EDGEWISE_DATA_DIR or .edgewise)`;

export const startCommand: Command = {
  summary: "run the local stack: the edge Worker in workerd with local KV",
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { port: { type: "string" }, "data-dir": { type: "string" } },
      strict: true,
    }).valueOf() as { values: { port?: string; "data-dir"?: string } };
    const port = Number(values.port ?? process.env.EDGE_PORT ?? 8787);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port must be a port number; got '${values.port}'`);
    }
    const dataDir = path.resolve(values["data-dir"] ?? process.env.EDGEWISE_DATA_DIR ?? ".edgewise");
    const kvDir = path.join(dataDir, "edge");
    await mkdir(kvDir, { recursive: true });

    const rootDir = path.resolve(import.meta.dirname, "..", "..", "..");
    const edge = await startLocalEdge({ rootDir, kvPersistDir: kvDir, port });
    const models = await edge.kv("MODELS");
    const keyFile = path.join(dataDir, "edge-api-key");
    if ((await models.get(kvKeys.currentManifest, "text")) === null) {
      console.log("first start: publishing the demo models and 100 demo users to local KV");
      await seedDemo({ models, features: await edge.kv("FEATURES") });
      await writeFile(keyFile, `${await issueApiKey(models, "local")}\n`, { mode: 0o600 });
    } else {
      console.log(`reusing the models and features in ${kvDir}`);
    }
    const apiKey = (await readFile(keyFile, "utf8")).trim();
    const auth = `-H 'Authorization: Bearer ${apiKey}'`;

    const base = edge.url.href.replace(/\/$/, "");
    console.log(`\nedge: ${base}  (state in ${dataDir})\n\ntry:`);
    console.log(`  curl -s ${base}/health`);
    console.log(`  curl -s ${auth} '${base}/score?model=demo-propensity&user_id=demo-1'`);
    console.log(
      `  curl -s ${auth} '${base}/score?model=demo-propensity&features=${Array(16).fill("0.5").join(",")}'`,
    );
    console.log(`\nthe local API key is in ${keyFile}`);
    console.log("\nCtrl-C stops.");

    // Miniflare's exit hook stops workerd and exits (130 after Ctrl-C) once our listener has run.
    process.prependListener("SIGINT", () => console.log("\nstopping…"));
    process.prependListener("SIGTERM", () => console.log("stopping…"));
    return new Promise<number>(() => {});
  },
};
