import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../origin/cli/main.ts";
import { createPgliteEventStore } from "../../../origin/ingest/store/index.ts";
import { recordGenerator } from "../support/records.ts";

describe("edgewise migrate and ingest", () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-cli-"));
    process.env.EVENT_STORE = "pglite";
    process.env.PGLITE_DIR = join(dir, "db");
    delete process.env.DATABASE_URL;
    delete process.env.MONGODB_URL;
  });
  afterEach(async () => {
    process.env = { ...saved };
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it("ingests a file into the configured store and prints the summary", async () => {
    const next = recordGenerator({ seed: 50, prefix: "cli-" });
    const path = join(dir, "events.ndjson");
    await writeFile(
      path,
      `${Array.from({ length: 40 }, () => JSON.stringify(next())).join("\n")}\nnot json\n`,
    );
    const log = vi.spyOn(console, "log").mockImplementation(() => {});

    expect(await main(["migrate"])).toBe(0);
    expect(await main(["ingest", path, "--no-progress", "--batch-size", "7"])).toBe(0);
    const printed = log.mock.calls.map((call) => String(call[0])).join("\n");
    expect(printed).toMatch(/migrated the pglite event store/);
    expect(printed).toMatch(/read 41, stored 40, duplicates 0, rejected 1/);
    expect(printed).toMatch(/rejected line 41: /);

    const store = await createPgliteEventStore({ dataDir: join(dir, "db") });
    try {
      expect(await store.countEvents()).toBe(40);
    } finally {
      await store.close();
    }
  });

  it("exits 2 with the usage on bad arguments", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await main(["ingest"])).toBe(2);
    expect(await main(["ingest", "x.ndjson", "--format", "xml"])).toBe(2);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/usage: edgewise ingest FILE/);
  });
});

describe("edgewise with a bad configuration", () => {
  const bin = join(import.meta.dirname, "..", "..", "..", "bin", "edgewise.mjs");
  const run = (command: string, env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, command], {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr, stdout }));
    });

  it("prints one line and exits non-zero on a bad configuration value", async () => {
    const { code, stderr, stdout } = await run("serve", {
      INGEST_API_KEY: "a-key-long-enough-0123",
      INGEST_MAX_BODY_BYTES: "lots",
      PORT: "99999",
    });
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^edgewise serve: invalid origin configuration: /);
    expect(lines[0]).toContain("INGEST_MAX_BODY_BYTES: ");
    expect(lines[0]).toContain("(got 'lots')");
    expect(lines[0]).toContain("PORT: ");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("prints one line and exits 1 when the database the configuration names cannot be used", async () => {
    const { code, stderr } = await run("migrate", { DATABASE_URL: "postgres://127.0.0.1:1/none" });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^edgewise migrate: cannot use the database .*ECONNREFUSED.*check DATABASE_URL/),
    ]);
  });

  it("prints one line and exits 1 when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const dir = await mkdtemp(join(tmpdir(), "edgewise-port-"));
    try {
      const { code, stderr } = await run("serve", {
        INGEST_API_KEY: "a-key-long-enough-0123",
        PGLITE_DIR: join(dir, "db"),
        LEARN_INTERVAL_SECONDS: "0",
        MIGRATE_ON_START: "false",
        PORT: String((taken.address() as AddressInfo).port),
      });
      expect(code).toBe(1);
      expect(stderr.trimEnd().split("\n")).toEqual([
        expect.stringMatching(/^edgewise serve: cannot listen: .*EADDRINUSE.*choose another PORT/),
      ]);
    } finally {
      taken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("never echoes a secret's value in the configuration error", async () => {
    const { code, stderr } = await run("migrate", { INGEST_API_KEY: "short-secret" });
    expect(code).not.toBe(0);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("INGEST_API_KEY must be at least 16 characters");
    expect(stderr).not.toContain("short-secret");
  });
});
