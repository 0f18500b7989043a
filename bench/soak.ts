/**
 * npm run bench:soak — the local stack under steady load while releases switch: 8 clients on
 * GET /recommendations for 10 minutes, with `publish --force` and `rollback` alternating every 30 s.
 * Prints the non-2xx count, the share of degraded answers and the RSS of workerd and of the origin at
 * start (after a short warm-up that loads ORT, the catalogue and the feature cache), peak and end, and
 * writes them to bench/results/soak.json. Targets (issue 10): 0 non-2xx, degraded share ≤ 0.001,
 * workerd end ≤ start + 64 MiB.
 *
 *   --minutes N         how long the load runs (default 10, or $SOAK_MINUTES)
 *   --clients N         concurrent closed-loop clients (default 8)
 *   --switch-seconds N  seconds between release switches (default 30)
 *
 * The stack runs in a child process (bench/lib/soak-stack.ts), in a fresh temporary data directory, so
 * the origin's RSS is its own; workerd is that child's child. Everything listens on 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { rssMiB, workerdChildOf } from "./lib/processes.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: process.env.SOAK_MINUTES ?? "10" },
    clients: { type: "string", default: "8" },
    "switch-seconds": { type: "string", default: "30" },
  },
});
const minutes = positive("--minutes", values.minutes);
const clients = positive("--clients", values.clients);
const switchSeconds = positive("--switch-seconds", values["switch-seconds"]);
const warmUpMs = 5_000;
const rootDir = path.resolve(import.meta.dirname, "..");
const resultFile = path.join(rootDir, "bench", "results", "soak.json");

interface Ready {
  edgeUrl: string;
  apiKey: string;
  users: string[];
}
interface Done {
  done: string;
  ok: boolean;
  ms: number;
  message: string;
}

const dataDir = mkdtempSync(path.join(tmpdir(), "edgewise-soak-"));
const stack = spawn(
  process.execPath,
  ["--import", "tsx", path.join(rootDir, "bench", "lib", "soak-stack.ts"), dataDir],
  {
    cwd: rootDir,
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const replies = createInterface({ input: stack.stdout! });
const pending: Array<{
  resolve: (message: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}> = [];
const early: Array<Record<string, unknown>> = [];
stack.once("exit", (code) => {
  for (const waiter of pending.splice(0)) {
    waiter.reject(new Error(`the stack exited (${code}) before answering`));
  }
});
replies.on("line", (line) => {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(line) as Record<string, unknown>;
  } catch {
    console.log(`stack: ${line}`);
    return;
  }
  const waiter = pending.shift();
  if (waiter) {
    waiter.resolve(message);
  } else {
    early.push(message);
  }
});
function nextReply(): Promise<Record<string, unknown>> {
  const queued = early.shift();
  if (queued) {
    return Promise.resolve(queued);
  }
  if (stack.exitCode !== null) {
    return Promise.reject(new Error(`the stack exited (${stack.exitCode})`));
  }
  return new Promise((resolve, reject) => pending.push({ resolve, reject }));
}

try {
  console.log(`soak: starting the local stack in ${dataDir} (sample shop ingest, training, first publish)…`);
  const ready = (await nextReply()).ready as Ready;
  const workerd = workerdChildOf(stack.pid!);
  const edgeUrl = new URL(ready.edgeUrl);
  const headers = { authorization: `Bearer ${ready.apiKey}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const paths = ready.users.map((user) => `/recommendations?user_id=${encodeURIComponent(user)}&k=10`);

  const counts = { requests: 0, non2xx: 0, degraded: 0, errors: 0 };
  const statuses = new Map<number, number>();
  const causes = new Map<string, number>();
  let measuring = false;
  let running = true;
  let next = 0;
  const client = async () => {
    while (running) {
      const index = next++;
      const answer = await getJson(agent, new URL(paths[index % paths.length]!, edgeUrl), headers).catch(
        (error: Error) => ({ status: 0, body: { error: error.message } }) as const,
      );
      if (!measuring) {
        continue;
      }
      counts.requests += 1;
      if (answer.status < 200 || answer.status > 299) {
        counts.non2xx += 1;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      } else if ((answer.body as { degraded?: unknown }).degraded === true) {
        counts.degraded += 1;
        for (const cause of (answer.body as { degraded_causes?: Array<{ code: string }> }).degraded_causes ??
          []) {
          causes.set(cause.code, (causes.get(cause.code) ?? 0) + 1);
        }
      }
    }
  };
  const load = Array.from({ length: clients }, client);

  await sleep(warmUpMs);
  measuring = true;
  const workerdRss = rssTrack(workerd);
  const originRss = rssTrack(stack.pid!);
  const sampler = setInterval(() => {
    workerdRss.sample();
    originRss.sample();
  }, 1_000);

  console.log(`soak: ${minutes} min at ${clients} clients, a release switch every ${switchSeconds} s`);
  const endAtMs = Date.now() + minutes * 60_000;
  const switches: Done[] = [];
  let command: "publish" | "rollback" = "publish";
  // Switches start every switchSeconds (a switch that takes longer delays the next one, never overlaps it).
  let nextSwitchAtMs = Date.now() + switchSeconds * 1000;
  while (nextSwitchAtMs < endAtMs) {
    await sleep(nextSwitchAtMs - Date.now());
    nextSwitchAtMs += switchSeconds * 1000;
    stack.stdin!.write(`${command}\n`);
    const done = (await nextReply()) as unknown as Done;
    switches.push(done);
    console.log(
      `  ${new Date().toISOString()} ${done.done} ${done.ok ? "ok" : "FAILED"} in ${done.ms} ms: ${done.message.slice(0, 160)}; ` +
        `${counts.requests} answers, ${counts.non2xx} non-2xx, ${counts.degraded} degraded, workerd ${workerdRss.last().toFixed(0)} MiB`,
    );
    command = command === "publish" ? "rollback" : "publish";
  }
  await sleep(Math.max(0, endAtMs - Date.now()));
  running = false;
  await Promise.all(load);
  clearInterval(sampler);
  workerdRss.sample();
  originRss.sample();
  agent.destroy();

  const result = {
    non2xx: counts.non2xx,
    degraded_share: round(counts.degraded / Math.max(1, counts.requests), 6),
    workerd_rss_mib: workerdRss.summary(),
    origin_rss_mib: originRss.summary(),
  };
  writeFileSync(resultFile, `${JSON.stringify(result)}\n`);
  const failedSwitches = switches.filter((done) => !done.ok).length;
  console.log(
    `\n# soak: ${counts.requests} answers in ${minutes} min, ${switches.length} switches (${failedSwitches} failed)\n`,
  );
  console.log("| measure | value | target |");
  console.log("|---|---:|---|");
  console.log(`| non-2xx answers | ${result.non2xx} | 0: ${result.non2xx === 0 ? "met" : "not met"} |`);
  console.log(
    `| degraded share | ${result.degraded_share} | ≤ 0.001: ${result.degraded_share <= 0.001 ? "met" : "not met"} |`,
  );
  const { start, peak, end } = result.workerd_rss_mib;
  console.log(
    `| workerd RSS start / peak / end MiB | ${start} / ${peak} / ${end} | end ≤ start + 64: ${end <= start + 64 ? "met" : "not met"} |`,
  );
  const o = result.origin_rss_mib;
  console.log(`| origin RSS start / peak / end MiB | ${o.start} / ${o.peak} / ${o.end} | |`);
  if (statuses.size > 0) {
    console.log(`\nnon-2xx by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  }
  if (causes.size > 0) {
    console.log(`degraded causes: ${JSON.stringify(Object.fromEntries(causes))}`);
  }
  console.log(`\nwrote ${path.relative(rootDir, resultFile)}`);
} finally {
  stack.stdin!.write("stop\n");
  await Promise.race([new Promise((resolve) => stack.once("exit", resolve)), sleep(30_000)]);
  if (stack.exitCode === null) {
    stack.kill();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new Error(`${flag} must be a positive number; got '${text}'`);
  }
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** One GET with its JSON body parsed (the degraded flag is in it). */
function getJson(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = { raw: text.slice(0, 200) };
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on("error", reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error("no answer within 30 s")));
    request.on("error", reject);
  });
}

/** RSS of one process: the first sample, the highest and the latest, in whole MiB. */
function rssTrack(pid: number) {
  const first = rssMiB(pid);
  let peak = first;
  let latest = first;
  return {
    sample() {
      latest = rssMiB(pid);
      peak = Math.max(peak, latest);
    },
    last: () => latest,
    summary: () => ({ start: Math.round(first), peak: Math.round(peak), end: Math.round(latest) }),
  };
}
