/**
 * The model registry's tables (drizzle-orm); `npm run db:generate` turns changes here into migrations/.
 *
 * `model_versions` holds every trained model version once, keyed by (name, version), with what the publish
 * gate and a rollback need: its metrics, its bytes' size and checksum, the data it was trained on and where
 * it stands. `training_runs` logs every training run, manual or scheduled, and how it ended.
 */
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const MODEL_STATUSES = ["candidate", "published", "rejected", "rolled_back"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export const RUN_TRIGGERS = ["manual", "schedule", "events"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const modelVersions = pgTable(
  "model_versions",
  {
    name: text("name").notNull(),
    version: text("version").notNull(),
    /** What was trained: `mf`, `popularity`, `linear-classifier`… */
    kind: text("kind").notNull(),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    trainingWindowStart: timestamptz("training_window_start"),
    trainingWindowEnd: timestamptz("training_window_end"),
    /** candidate | published | rejected | rolled_back */
    status: text("status").$type<ModelStatus>().notNull().default("candidate"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    /**
     * The latest manifest that put this version into service (a publish, or a rollback that restored
     * it). The version serving a name is its published row with the highest value here.
     */
    publishedManifestVersion: bigint("published_manifest_version", { mode: "number" }),
    /** Why it was rejected, what the gate compared, what was skipped: for people, not for code. */
    notes: text("notes"),
  },
  (table) => [
    primaryKey({ columns: [table.name, table.version] }),
    index("model_versions_status_idx").on(table.name, table.status),
  ],
);

export const trainingRuns = pgTable("training_runs", {
  /** The run id, which is also the version of every model the run trains. */
  id: text("id").primaryKey(),
  startedAt: timestamptz("started_at").notNull(),
  finishedAt: timestamptz("finished_at"),
  /** manual | schedule | events */
  trigger: text("trigger").$type<RunTrigger>().notNull(),
  /** running, then trained | published | rejected | skipped | failed */
  outcome: text("outcome").notNull().default("running"),
  message: text("message"),
});
