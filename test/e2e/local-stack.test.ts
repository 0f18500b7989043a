/**
 * `edgewise start` as a newcomer runs it (what `npm start` runs after the build): a child process
 * with the origin and the edge, the sample shop ingested, trained and published; the three curl
 * commands it prints work; Ctrl-C (SIGINT) stops it with exit 0; a second start reuses the data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
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
  const deadline = Date.now() + 150_000;
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
    } finally {
      first.child.kill("SIGINT");
    }
    expect(await first.exited).toBe(0);

    const second = await start();
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("reusing the data and models");
  }, 300_000);
});
