/**
 * The model registry's behaviour, run against every database backend (PGlite, Postgres, Neon): each
 * backend file calls describeModelRegistryConformance with a factory for a fresh, migrated database.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../../../../origin/ingest/store/index.ts";
import {
  type CandidateModel,
  createModelRegistry,
  type ModelRegistry,
} from "../../../../origin/release/registry/index.ts";

export interface RegistryFixture {
  database: SqlDatabase;
  cleanup(): Promise<void>;
}

const DAY_MS = 86_400_000;
const WINDOW = { startMs: Date.UTC(2026, 9, 1), endMs: Date.UTC(2026, 10, 1) };

function candidate(name: string, version: string, metrics: Record<string, number>): CandidateModel {
  return {
    name,
    version,
    kind: name === "recs" ? "mf" : "linear-classifier",
    metrics,
    sizeBytes: 1234,
    sha256: "ab".repeat(32),
    trainingWindow: WINDOW,
  };
}

export function describeModelRegistryConformance(label: string, open: () => Promise<RegistryFixture>): void {
  describe(`model registry: ${label}`, () => {
    let fixture: RegistryFixture;
    let registry: ModelRegistry;
    beforeEach(async () => {
      fixture = await open();
      await fixture.database.migrate();
      registry = createModelRegistry(fixture.database.db);
    });
    afterEach(async () => {
      await fixture?.cleanup();
    });

    it("records a candidate once, with its metrics, size, checksum and training window", async () => {
      const entry = candidate("recs", "r1", { "ndcg@10": 0.31, "precision@10": 0.14 });
      await registry.recordCandidates([entry]);
      await registry.recordCandidates([{ ...entry, metrics: { "ndcg@10": 0 } }]);
      const row = await registry.get({ name: "recs", version: "r1" });
      expect(row).toMatchObject({
        name: "recs",
        version: "r1",
        kind: "mf",
        metrics: { "ndcg@10": 0.31, "precision@10": 0.14 },
        sizeBytes: 1234,
        sha256: "ab".repeat(32),
        status: "candidate",
        publishedManifestVersion: null,
      });
      expect(row?.trainingWindowStart?.getTime()).toBe(WINDOW.startMs);
      expect(row?.trainingWindowEnd?.getTime()).toBe(WINDOW.endMs);
      expect(await registry.get({ name: "recs", version: "r0" })).toBeNull();
    });

    it("serves the published version of the highest manifest, never a rejected or rolled-back one", async () => {
      await registry.recordCandidates([
        candidate("recs", "r1", { "ndcg@10": 0.3 }),
        candidate("recs", "r2", { "ndcg@10": 0.32 }),
        candidate("recs", "r3", { "ndcg@10": 0.1 }),
        candidate("sentiment", "r1", { auc: 0.9 }),
      ]);
      expect(await registry.serving("recs")).toBeNull();
      await registry.markPublished([{ name: "recs", version: "r1" }], 1);
      await registry.markPublished([{ name: "recs", version: "r2" }], 2);
      await registry.markRejected([{ name: "recs", version: "r3" }], "worse");
      expect((await registry.serving("recs"))?.version).toBe("r2");
      await registry.markRolledBack([{ name: "recs", version: "r2" }], "rollback");
      expect((await registry.serving("recs"))?.version).toBe("r1");
      await registry.markPublished([{ name: "recs", version: "r2" }], 4, "restored");
      expect(await registry.serving("recs")).toMatchObject({ version: "r2", publishedManifestVersion: 4 });
      expect(await registry.serving("sentiment")).toBeNull();
    });

    it("keeps every decision's note, oldest first", async () => {
      await registry.recordCandidates([{ ...candidate("sentiment", "r1", { auc: 0.9 }), notes: "trained" }]);
      await registry.markRejected([{ name: "sentiment", version: "r1" }], "auc 0.80 vs 0.90");
      await registry.markPublished([{ name: "sentiment", version: "r1" }], 3, "forced");
      const row = await registry.get({ name: "sentiment", version: "r1" });
      expect(row?.notes).toBe("trained\nauc 0.80 vs 0.90\nforced");
      expect(row?.status).toBe("published");
    });

    it("lists versions newest first, optionally by name", async () => {
      await registry.recordCandidates([candidate("recs", "r1", {})]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await registry.recordCandidates([
        candidate("recs", "r2", {}),
        candidate("behaviour", "r2", { auc: 0.6 }),
      ]);
      const all = await registry.list();
      expect(all).toHaveLength(3);
      expect(all[2]).toMatchObject({ name: "recs", version: "r1" });
      expect((await registry.list({ name: "recs" })).map((row) => row.version)).toEqual(["r2", "r1"]);
      expect(await registry.list({ limit: 1 })).toHaveLength(1);
    });

    it("logs training runs from start to outcome, newest first", async () => {
      const t0 = new Date(WINDOW.endMs);
      await registry.startRun({ id: "r1", trigger: "manual", startedAt: t0 });
      await registry.startRun({ id: "r2", trigger: "events", startedAt: new Date(t0.getTime() + DAY_MS) });
      expect((await registry.listRuns())[0]).toMatchObject({
        id: "r2",
        outcome: "running",
        finishedAt: null,
      });
      await registry.finishRun("r1", {
        outcome: "rejected",
        message: "recs: ndcg@10 worse",
        finishedAt: new Date(t0.getTime() + 1000),
      });
      const runs = await registry.listRuns(10);
      expect(runs.map((run) => run.id)).toEqual(["r2", "r1"]);
      expect(runs[1]).toMatchObject({
        trigger: "manual",
        outcome: "rejected",
        message: "recs: ndcg@10 worse",
      });
      expect(runs[1]?.finishedAt?.getTime()).toBe(t0.getTime() + 1000);
    });
  });
}
