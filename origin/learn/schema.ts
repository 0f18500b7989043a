/**
 * The learning loop's tables (drizzle-orm); `npm run db:generate` turns changes here into migrations/.
 *
 * `learning_decisions` and `learning_rewards` are the logs the edge ships, each stored once by its
 * idempotency key (decision_id; decision_id + event_id). The join state between learning runs lives in
 * them: a decision is open until a run closes it (closed_at, with its outcome and slot rewards), a reward
 * pending until a run has used or dropped it (consumed_at). `learning_policies` holds each bandit policy's
 * sufficient statistics, which runs keep adding to, and what was last published of it;
 * `learning_runs` records each run. The write paths are hand-written SQL (learning-store.ts): a column
 * added here must be added there too.
 */
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { BanditPolicyFile, LinearStateJson } from "../../models/bandit/index.ts";
import type { DecisionRecord, RewardRecord } from "../../models/contracts/index.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const learningDecisions = pgTable(
  "learning_decisions",
  {
    decisionId: text("decision_id").primaryKey(),
    /** When the decision was made (the join window runs from here). */
    ts: timestamptz("ts").notNull(),
    surface: text("surface").notNull(),
    policyId: text("policy_id").notNull(),
    policyVersion: text("policy_version").notNull(),
    experimentId: text("experiment_id"),
    experimentArm: text("experiment_arm"),
    /** The decision as logged. */
    record: jsonb("record").$type<DecisionRecord>().notNull(),
    /**
     * In the evaluation holdout (a hash of decision_id): learned into the published state, never into the
     * state the publish gate evaluates, so the gate judges on decisions the candidate did not learn from.
     */
    holdout: boolean("holdout").notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
    closedAt: timestamptz("closed_at"),
    /** rewarded | default, once closed. */
    outcome: text("outcome"),
    /** Per shown slot: its reward, or null (see JoinedDecision.slotRewards), once closed. */
    slotRewards: jsonb("slot_rewards").$type<(number | null)[]>(),
  },
  (table) => [
    index("learning_decisions_open_idx").on(table.ts).where(sql`${table.closedAt} IS NULL`),
    index("learning_decisions_holdout_idx")
      .on(table.policyId, table.closedAt)
      .where(sql`${table.holdout} AND ${table.closedAt} IS NOT NULL`),
    index("learning_decisions_experiment_idx").on(table.experimentId),
  ],
);

export const learningRewards = pgTable(
  "learning_rewards",
  {
    decisionId: text("decision_id").notNull(),
    eventId: text("event_id").notNull(),
    /** When the outcome happened. */
    ts: timestamptz("ts").notNull(),
    record: jsonb("record").$type<RewardRecord>().notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
    /** Set when a learning run applied or dropped it; null while it waits (open or unknown decision). */
    consumedAt: timestamptz("consumed_at"),
  },
  (table) => [
    primaryKey({ columns: [table.decisionId, table.eventId] }),
    index("learning_rewards_pending_idx").on(table.ts).where(sql`${table.consumedAt} IS NULL`),
  ],
);

export const learningPolicies = pgTable("learning_policies", {
  policyId: text("policy_id").primaryKey(),
  surface: text("surface").notNull(),
  /** The BanditConfig the state was learned with; another shape or ridge starts a fresh state. */
  config: jsonb("config").notNull(),
  /** A and b over every closed decision of the policy: what is published. */
  state: jsonb("state").$type<LinearStateJson>().notNull(),
  /** A and b over the non-holdout decisions: what the publish gate evaluates, on the holdout. */
  trainState: jsonb("train_state").$type<LinearStateJson>().notNull(),
  /** The learning run that last added to the state. */
  version: text("version").notNull(),
  /** The policy file as last published; null until the first publish. */
  published: jsonb("published").$type<BanditPolicyFile>(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

export const learningRuns = pgTable("learning_runs", {
  id: text("id").primaryKey(),
  startedAt: timestamptz("started_at").notNull(),
  finishedAt: timestamptz("finished_at").notNull(),
  /** Join counters, per-policy learning and gate results: for people, not for code. */
  summary: jsonb("summary").notNull(),
  /** The `bandit` artifact version this run published, if it published. */
  bundleVersion: text("bundle_version"),
});
