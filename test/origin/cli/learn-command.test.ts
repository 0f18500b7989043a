/**
 * `edgewise learn` as a user runs it: against a PGlite directory from the environment, learning only, then
 * forced into a local edge's KV directory (what `edgewise start` serves from).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANDIT_ARTIFACT } from "../../../models/bandit/index.ts";
import { kvKeys } from "../../../models/contracts/index.ts";
import { openPgliteDatabase } from "../../../origin/ingest/store/index.ts";
import { createLearningStore } from "../../../origin/learn/index.ts";
import { openLocalKv } from "../../../origin/release/publish/open-local-kv.ts";
import { projectRoot } from "../../support/local-edge.ts";
import { decision, reward, T0 } from "../learn/support/learning-records.ts";
import { runCliInProcess as edgewise, usePgliteConfig } from "../support/run-cli.ts";

let dir: string;
const saved = { ...process.env };
const HOUR = 3_600_000;

async function logDecisions(prefix: string, count: number, startMs: number) {
  const database = await openPgliteDatabase({ dataDir: join(dir, "db") });
  try {
    await database.migrate();
    const store = createLearningStore(database.sql);
    const decisions = Array.from({ length: count }, (_, i) => decision(`${prefix}${i}`, { ts: startMs + i }));
    await store.insertDecisions(decisions);
    await store.insertRewards(
      decisions.filter((_, i) => i % 3 === 0).map((d) => reward(d.decision_id, 1, { ts: d.ts + 1 })),
    );
  } finally {
    await database.sql.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-learn-cli-"));
  usePgliteConfig(join(dir, "db"));
  for (const key of Object.keys(process.env).filter((k) => k.startsWith("LEARN_"))) {
    delete process.env[key];
  }
});
afterAll(async () => {
  process.env = { ...saved };
  await rm(dir, { recursive: true, force: true });
});

describe("edgewise learn", () => {
  it("learns without publishing, and prints its report as JSON", async () => {
    await logDecisions("cli-a-", 40, T0);
    const { code, out } = await edgewise("learn", "--no-publish", "--json", "--now", String(T0 + 2 * HOUR));
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.join).toMatchObject({ closedDecisions: 40, rewardedDecisions: Math.ceil(40 / 3) });
    expect(report.policies).toMatchObject([{ policyId: "home", examples: 40, gate: { publish: false } }]);
    expect(report.published).toBeNull();
  });

  it("publishes with --force into a local edge's KV", async () => {
    await logDecisions("cli-b-", 10, T0 + 3 * HOUR);
    const kvDir = join(dir, "edge");
    const { code, out } = await edgewise(
      "learn",
      "--force",
      "--local",
      kvDir,
      "--now",
      String(T0 + 5 * HOUR),
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^learning run learn-\S+ \(publishing to local edge KV in /m);
    expect(out).toMatch(/^home: \+10 example\(s\), passes: forced despite: /m);
    const kv = await openLocalKv({ rootDir: projectRoot, persistDir: kvDir });
    try {
      const manifest = JSON.parse((await kv.models.get(kvKeys.currentManifest, "text"))!);
      expect(Object.keys(manifest.artifacts)).toEqual([BANDIT_ARTIFACT]);
      expect(manifest.models).toEqual({});
    } finally {
      await kv.dispose();
    }
  });

  it("refuses a publish target together with --no-publish", async () => {
    const { code, out } = await edgewise("learn", "--no-publish", "--cloudflare");
    expect(code).toBe(2);
    expect(out).toContain("--no-publish takes no publish target");
  });
});
