/**
 * The model registry over drizzle, so it runs unchanged on PGlite, Postgres and Neon (the same
 * `SqlDatabase.db` the event store opens). Registry traffic is a few rows per training run: the ORM's
 * per-row cost does not matter here, unlike on the ingestion path.
 */
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { BaselineScore } from "./baseline-gate.ts";
import { type ModelStatus, modelVersions, type RunTrigger, trainingRuns } from "./schema.ts";

/** A model version as a training run produced it, before any decision about it. */
export interface CandidateModel {
  name: string;
  version: string;
  kind: string;
  metrics: Record<string, number>;
  sizeBytes: number;
  sha256: string;
  /** Event times (epoch ms) of the oldest and newest event trained on; null when it saw no events. */
  trainingWindow: { startMs: number; endMs: number } | null;
  /**
   * The naive baseline's headline metric on the same held-out data (see baseline-gate.ts). A candidate
   * without one is published without that check, and the gate says so.
   */
  baseline?: BaselineScore;
  notes?: string;
}

export interface ModelRef {
  name: string;
  version: string;
}

export interface ModelVersionRow extends ModelRef {
  kind: string;
  metrics: Record<string, number>;
  sizeBytes: number;
  sha256: string;
  trainingWindowStart: Date | null;
  trainingWindowEnd: Date | null;
  status: ModelStatus;
  createdAt: Date;
  publishedManifestVersion: number | null;
  notes: string | null;
}

export interface TrainingRunRow {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  trigger: RunTrigger;
  outcome: string;
  message: string | null;
}

export type RunOutcome = "trained" | "published" | "rejected" | "skipped" | "failed";

export interface ModelRegistry {
  /** Records each version as a candidate; recording the same (name, version) again changes nothing. */
  recordCandidates(candidates: readonly CandidateModel[]): Promise<void>;
  get(ref: ModelRef): Promise<ModelVersionRow | null>;
  /** The version of `name` in service: published, and put there by the highest manifest. */
  serving(name: string): Promise<ModelVersionRow | null>;
  /** Every name's serving version, by name. */
  servingAll(): Promise<ModelVersionRow[]>;
  /** Marks versions as serving in `manifestVersion` (a publish, or a rollback restoring them). */
  markPublished(refs: readonly ModelRef[], manifestVersion: number, note?: string): Promise<void>;
  markRejected(refs: readonly ModelRef[], note: string): Promise<void>;
  markRolledBack(refs: readonly ModelRef[], note: string): Promise<void>;
  /** Newest first. */
  list(options?: { name?: string; limit?: number }): Promise<ModelVersionRow[]>;
  startRun(run: { id: string; trigger: RunTrigger; startedAt: Date }): Promise<void>;
  finishRun(id: string, end: { outcome: RunOutcome; message: string; finishedAt: Date }): Promise<void>;
  /** Newest first. */
  listRuns(limit?: number): Promise<TrainingRunRow[]>;
}

type Db = PgDatabase<PgQueryResultHKT>;

/** Appends a line to the notes, keeping what earlier decisions wrote. */
const appendNote = (note: string) => sql`concat_ws(E'\n', ${modelVersions.notes}, ${note}::text)`;

const isRef = (ref: ModelRef) =>
  and(eq(modelVersions.name, ref.name), eq(modelVersions.version, ref.version));

export function createModelRegistry(db: Db): ModelRegistry {
  async function setStatus(refs: readonly ModelRef[], status: ModelStatus, note: string | undefined) {
    for (const ref of refs) {
      await db
        .update(modelVersions)
        .set({ status, ...(note === undefined ? {} : { notes: appendNote(note) }) })
        .where(isRef(ref));
    }
  }

  return {
    async recordCandidates(candidates) {
      if (candidates.length === 0) {
        return;
      }
      await db
        .insert(modelVersions)
        .values(
          candidates.map((c) => ({
            name: c.name,
            version: c.version,
            kind: c.kind,
            metrics: c.metrics,
            sizeBytes: c.sizeBytes,
            sha256: c.sha256,
            trainingWindowStart: c.trainingWindow ? new Date(c.trainingWindow.startMs) : null,
            trainingWindowEnd: c.trainingWindow ? new Date(c.trainingWindow.endMs) : null,
            notes: c.notes ?? null,
          })),
        )
        .onConflictDoNothing();
    },

    async get(ref) {
      const rows = await db.select().from(modelVersions).where(isRef(ref));
      return rows[0] ?? null;
    },

    async serving(name) {
      const rows = await db
        .select()
        .from(modelVersions)
        .where(
          and(
            eq(modelVersions.name, name),
            eq(modelVersions.status, "published"),
            isNotNull(modelVersions.publishedManifestVersion),
          ),
        )
        .orderBy(desc(modelVersions.publishedManifestVersion))
        .limit(1);
      return rows[0] ?? null;
    },

    async servingAll() {
      const rows = await db
        .selectDistinctOn([modelVersions.name])
        .from(modelVersions)
        .where(and(eq(modelVersions.status, "published"), isNotNull(modelVersions.publishedManifestVersion)))
        .orderBy(modelVersions.name, desc(modelVersions.publishedManifestVersion));
      return rows;
    },

    async markPublished(refs, manifestVersion, note) {
      for (const ref of refs) {
        await db
          .update(modelVersions)
          .set({
            status: "published",
            publishedManifestVersion: manifestVersion,
            ...(note === undefined ? {} : { notes: appendNote(note) }),
          })
          .where(isRef(ref));
      }
    },

    markRejected: (refs, note) => setStatus(refs, "rejected", note),
    markRolledBack: (refs, note) => setStatus(refs, "rolled_back", note),

    async list(options = {}) {
      const query = db
        .select()
        .from(modelVersions)
        .where(options.name === undefined ? undefined : eq(modelVersions.name, options.name))
        .orderBy(desc(modelVersions.createdAt), modelVersions.name);
      return options.limit === undefined ? query : query.limit(options.limit);
    },

    async startRun(run) {
      await db.insert(trainingRuns).values({ id: run.id, trigger: run.trigger, startedAt: run.startedAt });
    },

    async finishRun(id, end) {
      await db
        .update(trainingRuns)
        .set({ outcome: end.outcome, message: end.message, finishedAt: end.finishedAt })
        .where(eq(trainingRuns.id, id));
    },

    async listRuns(limit = 20) {
      return db.select().from(trainingRuns).orderBy(desc(trainingRuns.startedAt)).limit(limit);
    },
  };
}
