/**
 * The training commands as a user runs them: against a PGlite directory from the environment and a local
 * edge's KV directory (what `edgewise start` serves from), in one sequence, as state builds up.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestRecord, kvKeys } from "../../../models/contracts/index.ts";
import { generateTasteClusterData } from "../../../origin/dev/sample-data/index.ts";
import { createPgliteEventStore } from "../../../origin/ingest/store/index.ts";
import { openLocalKv } from "../../../origin/release/publish/open-local-kv.ts";
import { projectRoot } from "../../support/local-edge.ts";
import { runCliInProcess as edgewise, usePgliteConfig } from "../support/run-cli.ts";

let dir: string;
let kvDir: string;
const saved = { ...process.env };

async function currentManifest(): Promise<{
  version: number;
  restoredFrom?: number;
  previousVersion?: number;
}> {
  const kv = await openLocalKv({ rootDir: projectRoot, persistDir: kvDir });
  try {
    return JSON.parse((await kv.models.get(kvKeys.currentManifest, "text")) ?? "null");
  } finally {
    await kv.dispose();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-train-cli-"));
  kvDir = join(dir, "edge");
  usePgliteConfig(join(dir, "db"));
  delete process.env.PUBLISH_TOLERANCE;
  const store = await createPgliteEventStore({ dataDir: join(dir, "db") });
  await store.migrate();
  const data = generateTasteClusterData({ endMs: Date.now() - 3_600_000, users: 100, items: 60, seed: 11 });
  await store.insertBatch(data.records.map((record) => IngestRecord.parse(record)));
  await store.close();
});
afterAll(async () => {
  process.env = { ...saved };
  await rm(dir, { recursive: true, force: true });
});

describe("edgewise train, publish, releases and rollback", () => {
  it("trains and records candidates without publishing anything", async () => {
    const { code, out } = await edgewise("train", "--no-progress", "--local", kvDir);
    expect(code).toBe(0);
    expect(out).toMatch(/^run r\S+: trained/m);
    expect(out).toMatch(/recs +(mf|ease) +ndcg@10 0\.\d{4} \(popularity 0\.\d{4}\)/);
    expect(await currentManifest()).toBeNull();
  });

  it("publishes twice, lists the releases and rolls back to the first", async () => {
    expect((await edgewise("publish", "--no-progress", "--local", kvDir)).code).toBe(0);
    const second = await edgewise("publish", "--no-progress", "--local", kvDir);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/gate: recs: pass: ndcg@10/);
    expect(await currentManifest()).toMatchObject({ version: 2 });

    const listed = await edgewise("releases", "--local", kvDir);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^\* {4}2 /m);
    expect(listed.out).toMatch(/recs +r\S+ +published +ndcg@10/);
    expect(listed.out).toMatch(/manual +trained/);

    const rolled = await edgewise("rollback", "--local", kvDir);
    expect(rolled.code).toBe(0);
    expect(rolled.out).toMatch(/manifest 3 now serves release 1 \(was 2\); restored features of 100 users/);
    expect(await currentManifest()).toMatchObject({ version: 3, restoredFrom: 1 });
  });

  it("publish --force rewrites a corrupt manifest/current from the kept releases and says so", async () => {
    const before = await currentManifest();
    const kv = await openLocalKv({ rootDir: projectRoot, persistDir: kvDir });
    try {
      await kv.models.put(kvKeys.currentManifest, "<html>502 Bad Gateway</html>");
    } finally {
      await kv.dispose();
    }
    const published = await edgewise("publish", "--force", "--no-progress", "--local", kvDir);
    expect(published.code, published.out).toBe(0);
    expect(published.out).toContain(
      `repaired: manifest/current in KV is not JSON; rewriting it from manifest/${before.version}`,
    );
    expect(await currentManifest()).toMatchObject({
      version: before.version + 1,
      previousVersion: before.version,
    });
  });

  it("refuses --local together with --cloudflare", async () => {
    expect((await edgewise("publish", "--local", kvDir, "--cloudflare")).code).toBe(2);
  });
});
