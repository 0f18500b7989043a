import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../origin/cli/main.ts";
import { createPgliteEventStore } from "../../../origin/ingest/store/index.ts";
import { recordGenerator } from "../support/records.ts";
import { runCli, usePgliteConfig } from "../support/run-cli.ts";

describe("edgewise migrate and ingest", () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-cli-"));
    usePgliteConfig(join(dir, "db"));
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

  it("ingests a column-mapped CSV, naming each rejected row's line in the report and the errors file", async () => {
    const path = join(dir, "orders.csv");
    const rows = ["order_time;customer;sku;qty"];
    for (let i = 0; i < 30; i++) {
      rows.push(
        `2024-03-${String(1 + (i % 28)).padStart(2, "0")} 12:00:00;c-${i % 4};sku-${i % 9};${1 + (i % 3)}`,
      );
    }
    rows.push("2024-03-01 12:00:00;c-1;;1"); // line 32: no item
    await writeFile(path, `${rows.join("\n")}\n`);
    const errorsFile = join(dir, "errors.ndjson");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const args = [
      "ingest",
      path,
      "--no-progress",
      ...["--delimiter", ";", "--user-col", "customer", "--item-col", "sku", "--time-col", "order_time"],
      ...["--value-col", "qty", "--value-kind", "count", "--event-type", "purchase", "--assume-utc"],
      ...["--errors", errorsFile],
    ];
    expect(await main(args)).toBe(0);
    const printed = log.mock.calls.map((call) => String(call[0])).join("\n");
    expect(printed).toMatch(/\(csv\): read 31, stored 30, duplicates 0, rejected 1/);
    expect(printed).toMatch(/rejected line 32: no item id in 'sku'/);
    expect(
      (await readFile(errorsFile, "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([{ at: "line 32", error: "no item id in 'sku'" }]);
    expect(await main(args)).toBe(0);
    expect(log.mock.calls.map((call) => String(call[0])).join("\n")).toMatch(/stored 0, duplicates 30/);
    const store = await createPgliteEventStore({ dataDir: join(dir, "db") });
    try {
      expect(await store.countEvents(["purchase"])).toBe(30);
    } finally {
      await store.close();
    }
  });

  it("refuses a mapping that says nothing of its value, or a rating that is not a rating event", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const base = ["ingest", "x.csv", "--user-col", "u", "--item-col", "i", "--time-col", "t"];
    expect(await main([...base, "--value-col", "plays"])).toBe(2);
    expect(String(error.mock.calls[0]?.[0])).toMatch(
      /--value-kind rating\|count\|none \(a play count is not a rating\)/,
    );
    expect(await main([...base, "--value-col", "r", "--value-kind", "rating", "--event-type", "view"])).toBe(
      2,
    );
    expect(String(error.mock.calls[1]?.[0])).toMatch(/value kind 'rating' makes 'rating' events/);
    expect(await main(["ingest", "x.csv", "--user-col", "u", "--item-col", "i"])).toBe(2);
    expect(String(error.mock.calls[2]?.[0])).toMatch(/--time-col is required/);
  });

  it("exits 2 with the usage on bad arguments", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await main(["ingest"])).toBe(2);
    expect(await main(["ingest", "x.ndjson", "--format", "xml"])).toBe(2);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/usage: edgewise ingest FILE/);
  });
});

describe("EDGEWISE_DATA_DIR", () => {
  it("moves the database and the local edge's KV: nothing is written where the command runs", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "edgewise-cwd-"));
    const dataDir = await mkdtemp(join(tmpdir(), "edgewise-data-"));
    try {
      const path = join(dataDir, "views.csv");
      await writeFile(path, "user,item,at\nu-1,i-1,2024-01-01T00:00:00Z\nu-2,i-1,1704067200\n");
      const cli = (...args: string[]) => runCli(args, { EDGEWISE_DATA_DIR: dataDir }, { cwd });
      const mapping = "--user-col user --item-col item --time-col at".split(" ");
      const ingest = await cli("ingest", path, "--no-progress", ...mapping);
      expect(ingest.code).toBe(0);
      expect(ingest.stdout).toMatch(/stored 2,/);
      const releases = await cli("releases");
      expect(releases.code).toBe(0);
      expect(await readdir(cwd)).toEqual([]);
      expect((await readdir(dataDir)).sort()).toEqual(
        expect.arrayContaining(["edge", "pglite", "views.csv"]),
      );
    } finally {
      await rm(cwd, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // two CLI processes, one of them starting workerd: minutes on a loaded machine
});

describe("edgewise with a bad configuration", () => {
  const run = (command: string, env: Record<string, string>, args: string[] = []) =>
    runCli([command, ...args], env);

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

  it("publish --cloudflare names the missing Cloudflare variables before it trains", async () => {
    const dir = await mkdtemp(join(tmpdir(), "edgewise-cf-"));
    try {
      const { code, stderr, stdout } = await run(
        "publish",
        {
          PGLITE_DIR: join(dir, "db"),
          CLOUDFLARE_ACCOUNT_ID: "acc-1",
        },
        ["--cloudflare", "--no-progress"],
      );
      expect(code).toBe(2);
      expect(stdout).not.toMatch(/^run /m);
      expect(stderr.trimEnd().split("\n")).toEqual([
        expect.stringMatching(
          /^edgewise publish: publishing to Cloudflare needs CLOUDFLARE_API_TOKEN, CF_KV_MODELS_NAMESPACE_ID, CF_KV_FEATURES_NAMESPACE_ID/,
        ),
      ]);
    } finally {
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
