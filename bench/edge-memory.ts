/**
 * Where workerd's memory goes under load (issue 10, case 8): 8 clients on GET /recommendations for
 * `--seconds` (default 60) against a local workerd, sampling the workerd process's RSS every 5 s, in one
 * of three set-ups:
 *
 *   --mode edge      the built Worker with the demo release, decision logs not shipped (no origin)
 *   --mode logging   the same, shipping every decision to a local origin stub that answers 200 at once
 *   --mode trivial   a Worker that only answers `{"ok":true}`: what Miniflare and workerd grow by themselves
 *
 * Not part of `npm run bench`: a measuring tool. Loopback only; stops by itself.
 */

import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { seedDemo } from "../origin/dev/local-edge/seed-demo.ts";
import { issueApiKey } from "../origin/release/publish/api-keys.ts";
import { rssMiB, workerdChildOf } from "./lib/processes.ts";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "edge" },
    seconds: { type: "string", default: "60" },
    clients: { type: "string", default: "8" },
  },
});
const mode = values.mode;
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (!["edge", "logging", "trivial"].includes(mode ?? "") || !(seconds > 0) || !(clients > 0)) {
  throw new Error(
    "usage: tsx bench/edge-memory.ts [--mode edge|logging|trivial] [--seconds N] [--clients N]",
  );
}
const rootDir = path.resolve(import.meta.dirname, "..");

let originRequests = 0;
const origin = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    originRequests += 1;
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"stored":1,"duplicates":[],"rejected":[]}');
  });
});
await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
const originPort = (origin.address() as { port: number }).port;

let url: URL;
let headers: Record<string, string> = {};
let paths = ["/"];
let dispose: () => Promise<void>;
if (mode === "trivial") {
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch() { return Response.json({ ok: true }); } };",
      host: "127.0.0.1",
      port: 0,
    }),
  );
  url = await miniflare.ready;
  dispose = () => miniflare.dispose();
} else {
  const edge = await startLocalEdge({
    rootDir,
    vars:
      mode === "logging"
        ? { ORIGIN_INGEST_URL: `http://127.0.0.1:${originPort}/v1/events/batch`, ORIGIN_INGEST_KEY: "probe" }
        : { ORIGIN_INGEST_URL: "" },
  });
  const seeded = await seedDemo(
    { models: await edge.kv("MODELS"), features: await edge.kv("FEATURES") },
    { users: 1000 },
  );
  headers = { authorization: `Bearer ${await issueApiKey(await edge.kv("MODELS"), "probe")}` };
  paths = seeded.users.map((user) => `/recommendations?user_id=${user.userId}&k=10`);
  url = edge.url;
  dispose = () => edge.dispose();
}

const workerd = workerdChildOf(process.pid);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
let running = true;
let answers = 0;
let failures = 0;
let next = 0;
const client = async () => {
  while (running) {
    const status = await get(new URL(paths[next++ % paths.length]!, url)).catch(() => 0);
    answers += 1;
    if (status !== 200) {
      failures += 1;
    }
  }
};
console.log(`mode ${mode}: workerd RSS ${rssMiB(workerd).toFixed(0)} MiB before load`);
const load = Array.from({ length: clients }, client);
const startedMs = Date.now();
while (Date.now() - startedMs < seconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  console.log(
    `  ${((Date.now() - startedMs) / 1000).toFixed(0)} s: ${answers} answers (${failures} failed), ` +
      `origin got ${originRequests}, workerd RSS ${rssMiB(workerd).toFixed(0)} MiB`,
  );
}
running = false;
await Promise.all(load);
for (const after of [5, 15]) {
  await new Promise((resolve) => setTimeout(resolve, after === 5 ? 5_000 : 10_000));
  console.log(
    `  idle +${after} s: workerd RSS ${rssMiB(workerd).toFixed(0)} MiB, origin got ${originRequests}`,
  );
}
agent.destroy();
await dispose();
origin.close();

function get(target: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(target, { agent, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}
