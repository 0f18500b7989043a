/**
 * `edgewise start` as a newcomer runs it (what `npm start` runs after the build): a child process
 * with the origin and the edge, the sample shop ingested, trained and published; the three curl
 * commands it prints work; Ctrl-C (SIGINT) stops it with exit 0; a second start reuses the data.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/local-edge.ts";

let dataDir = "";

afterAll(async () => {
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function start(): Promise<Started> {
  const child = spawn(
    process.execPath,
    ["bin/edgewise.mjs", "start", "--port", "0", "--origin-port", "0", "--data-dir", dataDir],
    { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let text = "";
  child.stdout!.on("data", (chunk) => {
    text += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 300_000;
  while (!text.includes("Ctrl-C stops everything")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`edgewise start did not come up:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => text, exited };
}

/** Runs one printed `curl -s -H … [-d …] URL` line with fetch. */
async function runCurl(line: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  for (const [, name, value] of line.matchAll(/-H '([^:]+): ([^']+)'/g)) {
    headers[name!.toLowerCase()] = value!;
  }
  const data = /-d '([^']+)'/.exec(line)?.[1];
  const url = /(http:\/\/\S+?)'?$/.exec(line.trim())?.[1] ?? "";
  const response = await fetch(url.replace(/'$/, ""), {
    method: data ? "POST" : "GET",
    headers,
    ...(data ? { body: data } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The README's curl examples against the running stack, as printed: every `curl` in a bash block that
 * names the local edge (8787) or origin (8080), continuation lines joined, with the ports this stack
 * took and the key it issued in $KEY (the README reads it from .edgewise/edge-api-key).
 */
async function readmeCurls(): Promise<string[]> {
  const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const commands: string[] = [];
  for (const block of blocks) {
    let pending = "";
    for (const line of block.replace(/\\\n\s*/g, " ").split("\n")) {
      pending = pending === "" ? line.trim() : `${pending} ${line.trim()}`;
      // A quoted argument (a JSON body) may run over several lines: wait for its closing quote.
      if ((pending.match(/'/g)?.length ?? 0) % 2 === 0) {
        commands.push(pending);
        pending = "";
      }
    }
  }
  return commands.filter((line) => line.startsWith("curl ") && /localhost:(8787|8080)/.test(line));
}

function runShell(command: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", ["-c", command], { env: { ...process.env, ...env } }, (error, stdout) =>
      error ? reject(new Error(`${command}: ${error.message}`)) : resolve(stdout),
    );
  });
}

describe("edgewise start", () => {
  it("serves the sample shop's recommendations, sentiment and similar items, and stops cleanly", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "edgewise-start-"));
    const first = await start();
    try {
      expect(first.output()).toContain("first start: loading the sample shop");
      const curls = first
        .output()
        .split("\n")
        .filter((line) => line.trim().startsWith("curl "));
      expect(curls).toHaveLength(3);
      const [recommendations, sentiment, similar] = await Promise.all(curls.map(runCurl));
      expect(recommendations!.status).toBe(200);
      expect((recommendations!.body.items as unknown[]).length).toBe(5);
      expect(recommendations!.body).toMatchObject({ degraded: false, cold_start: false });
      expect(sentiment!.status).toBe(200);
      expect(sentiment!.body).toMatchObject({ label: "positive", model: "sentiment", degraded: false });
      expect(similar!.status).toBe(200);
      expect((similar!.body.items as unknown[]).length).toBe(5);

      const edge = /^edge:\s+(http:\/\/\S+)/m.exec(first.output())![1]!;
      const origin = /^origin: (http:\/\/\S+)/m.exec(first.output())![1]!;
      const key = await readFile(path.join(dataDir, "edge-api-key"), "utf8");
      const examples = await readmeCurls();
      expect(examples.length).toBeGreaterThanOrEqual(8);
      for (const example of examples) {
        const command = example
          .replaceAll("localhost:8787", new URL(edge).host)
          .replaceAll("localhost:8080", new URL(origin).host)
          .replaceAll("$(cat .edgewise/edge-api-key)", "$KEY");
        const output = await runShell(command, { KEY: key.trim() });
        expect(output.trim(), example).not.toBe("");
        if (!command.includes("| grep")) {
          const body = JSON.parse(output) as Record<string, unknown>;
          expect(body.error, `${example}\n${output}`).toBeUndefined();
        }
      }
    } finally {
      first.child.kill("SIGINT");
    }
    expect(await first.exited).toBe(0);

    const second = await start();
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("reusing the data and models");
  }, 600_000);
});
