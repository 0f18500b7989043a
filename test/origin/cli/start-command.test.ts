/**
 * `edgewise start` as a user runs it, in a child process, on a data directory whose edge KV holds a
 * corrupt manifest/current: the stack explains it in one line, rewrites it from the kept release and
 * serves, instead of crashing. Needs the built Worker (npm run build), as `edgewise start` does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvKeys } from "../../../models/contracts/index.ts";
import { seedDemo } from "../../../origin/dev/local-edge/seed-demo.ts";
import { createPgliteEventStore } from "../../../origin/ingest/store/index.ts";
import { openLocalKv } from "../../../origin/release/publish/open-local-kv.ts";
import { generateRecords } from "../support/records.ts";

const rootDir = join(import.meta.dirname, "..", "..", "..");
const bin = join(rootDir, "bin", "edgewise.mjs");

let dataDir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "edgewise-start-"));
  // A later start: events already stored, a release with a catalogue already published.
  const store = await createPgliteEventStore({ dataDir: join(dataDir, "pglite") });
  await store.migrate();
  await store.insertBatch(generateRecords({ seed: 3, prefix: "start-" }, 20));
  await store.close();
  const kv = await openLocalKv({ rootDir, persistDir: join(dataDir, "edge") });
  await seedDemo(kv, { users: 3 });
  await kv.models.put(kvKeys.currentManifest, '{"version": 1, "models": ');
  await kv.dispose();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `edgewise start` and resolves with its output once it prints the welcome (or exits). */
function startStack(): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? "", LEARN_INTERVAL_SECONDS: "0", HOME: dataDir };
    child = spawn(
      process.execPath,
      [bin, "start", "--port", "0", "--origin-port", "0", "--data-dir", dataDir],
      {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("Ctrl-C stops everything.")) {
        resolve({ stdout, stderr, exitCode: null });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => resolve({ stdout, stderr, exitCode: code }));
  });
}

describe("edgewise start", () => {
  it("start explains a corrupt manifest and goes on", async () => {
    const { stdout, stderr, exitCode } = await startStack();
    expect(exitCode, stderr).toBeNull();
    const explained = stdout.split("\n").filter((line) => line.includes("manifest/current"));
    expect(explained).toEqual([
      "edge: manifest/current in KV is not JSON; rewriting it from manifest/1, the newest readable release, as manifest 2",
    ]);
    expect(stdout).toContain("reusing the data and models");
    expect(stderr).not.toMatch(/\n\s+at /);

    const edgeUrl = stdout.match(/^edge:\s+(http:\/\/\S+?)\s/m)?.[1];
    expect(edgeUrl).toBeDefined();
    const health = await fetch(new URL("/health", edgeUrl));
    const body = (await health.json()) as { manifest: { version: number } | null };
    expect(body.manifest?.version).toBe(2);

    const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
    child!.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
