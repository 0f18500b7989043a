/**
 * The learning loop's storage over any of the origin's Postgres backends (PGlite, Postgres, Neon): the
 * decision and reward logs, stored once each by their idempotency keys, and the join and policy state that
 * learning runs carry from one run to the next. Hand-written SQL over the shared SqlClient, with batches
 * passed as arrays to unnest(): one statement per batch, whatever its size.
 */
import type { BanditPolicyFile, JoinedDecision, LinearStateJson } from "../../models/bandit/index.ts";
import type { DecisionRecord, RewardRecord } from "../../models/contracts/index.ts";
import type { ArmOutcome } from "../../models/experiments/index.ts";
import type { RunLocks, SqlClient, SqlSession } from "../ingest/index.ts";
import { isHoldout } from "./holdout.ts";
import {
  batchResult,
  CLOSE_DECISIONS,
  CONSUME_REWARDS,
  earliestPerKey,
  INSERT_DECISIONS,
  INSERT_REWARDS,
  type StoredBatch,
  UPSERT_POLICY,
} from "./learning-sql.ts";

export type { StoredBatch };

export interface PolicyStateRow {
  policyId: string;
  surface: string;
  /** The BanditConfig (parsed) the state was learned with. */
  config: unknown;
  state: LinearStateJson;
  trainState: LinearStateJson;
  version: string;
  published: BanditPolicyFile | null;
}

export interface ClosedDecision {
  decisionId: string;
  outcome: JoinedDecision["outcome"];
  slotRewards: (number | null)[];
}

/** Everything a learning run changes, written in one transaction. */
export interface RunCommit {
  runId: string;
  startedAtMs: number;
  finishedAtMs: number;
  closed: readonly ClosedDecision[];
  /** Rewards the run applied or dropped: every pending reward it read but did not hold. */
  consumed: readonly { decisionId: string; eventId: string }[];
  /** New policy states, each with the version it was computed from (null for a new policy). */
  policies: readonly { row: PolicyStateRow; basedOn: string | null }[];
  summary: unknown;
}

/** Another learning run changed the same decisions or policies meanwhile: this run wrote nothing. */
export class LearningConflictError extends Error {}

export interface ExperimentOutcomes {
  closed: ArmOutcome[];
  /** Decisions per arm still waiting for their window to close. */
  openByArm: Map<string, number>;
}

export interface LearningStore {
  /** The database's run locks: one learning run, and one publish, at a time. */
  readonly locks: RunLocks;
  insertDecisions(records: readonly DecisionRecord[]): Promise<StoredBatch>;
  insertRewards(records: readonly RewardRecord[]): Promise<StoredBatch>;
  /**
   * Whether a join at `closeBeforeMs` + window would change anything: an open decision or a pending reward
   * from before `closeBeforeMs` (a decision to close, a late or unknown reward to drop).
   */
  hasWorkBefore(closeBeforeMs: number): Promise<boolean>;
  openDecisions(): Promise<DecisionRecord[]>;
  /** Rewards no run has consumed, and which of their decisions a run has already closed (late). */
  pendingRewards(): Promise<{ rewards: RewardRecord[]; closedDecisionIds: Set<string> }>;
  policies(): Promise<PolicyStateRow[]>;
  /** The policy's latest closed holdout decisions, newest first. */
  holdout(policyId: string, limit: number): Promise<JoinedDecision[]>;
  /** Throws LearningConflictError (and writes nothing) when another run got there first. */
  commitRun(commit: RunCommit): Promise<void>;
  /** Records a successful publish of the bundle: the files now serving, and the run's artifact version. */
  markPublished(runId: string, bundleVersion: string, files: readonly BanditPolicyFile[]): Promise<void>;
  /** The `bandit` artifact version of the latest publish, or null. */
  lastBundleVersion(): Promise<string | null>;
  experimentOutcomes(experimentId: string): Promise<ExperimentOutcomes>;
  /** Every experiment id a logged decision carries, sorted. */
  experimentIds(): Promise<string[]>;
  /** The newest learning runs, newest first, with their summaries (join counters, gate results). */
  recentRuns(limit: number): Promise<LearningRunRow[]>;
  /**
   * Logged recommendation decisions since `sinceMs` that say whether their answer was degraded, and how
   * many of them were (the edge records it in the decision's context).
   */
  degradedDecisions(sinceMs: number): Promise<{ decisions: number; degraded: number }>;
}

export interface LearningRunRow {
  id: string;
  startedAtMs: number;
  finishedAtMs: number;
  bundleVersion: string | null;
  summary: unknown;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export function createLearningStore(sql: SqlClient): LearningStore {
  return {
    locks: sql.locks,
    async insertDecisions(records) {
      if (records.length === 0) {
        return { storedCount: 0, duplicateIndexes: [] };
      }
      const { kept, duplicates } = earliestPerKey(records, (r) => r.decision_id);
      const rows = [...kept.values()].map((i) => records[i]!);
      const result = await sql.query(INSERT_DECISIONS, [
        rows.map((r) => r.decision_id),
        rows.map((r) => String(r.ts)),
        rows.map((r) => r.surface),
        rows.map((r) => r.policy.id),
        rows.map((r) => r.policy.version),
        rows.map((r) => r.experiment?.id ?? null),
        rows.map((r) => r.experiment?.arm ?? null),
        rows.map((r) => JSON.stringify(r)),
        rows.map((r) => String(isHoldout(r.decision_id))),
      ]);
      const stored = new Set(result.filter((row) => row[1] === true).map((row) => kept.get(String(row[0]))!));
      return batchResult(records.length, duplicates, stored);
    },

    async insertRewards(records) {
      if (records.length === 0) {
        return { storedCount: 0, duplicateIndexes: [] };
      }
      const key = (decisionId: string, eventId: string) => `${decisionId}\u0000${eventId}`;
      const { kept, duplicates } = earliestPerKey(records, (r) => key(r.decision_id, r.event_id));
      const rows = [...kept.values()].map((i) => records[i]!);
      const result = await sql.query(INSERT_REWARDS, [
        rows.map((r) => r.decision_id),
        rows.map((r) => r.event_id),
        rows.map((r) => String(r.ts)),
        rows.map((r) => JSON.stringify(r)),
      ]);
      const stored = new Set(
        result.filter((row) => row[2] === true).map((row) => kept.get(key(String(row[0]), String(row[1])))!),
      );
      return batchResult(records.length, duplicates, stored);
    },

    async hasWorkBefore(closeBeforeMs) {
      const rows = await sql.query(
        `SELECT EXISTS (SELECT 1 FROM learning_decisions WHERE closed_at IS NULL AND ts <= to_timestamp($1::float8 / 1000))
             OR EXISTS (SELECT 1 FROM learning_rewards WHERE consumed_at IS NULL AND ts <= to_timestamp($1::float8 / 1000))`,
        [String(closeBeforeMs)],
      );
      return rows[0]?.[0] === true;
    },

    async openDecisions() {
      const rows = await sql.query("SELECT record FROM learning_decisions WHERE closed_at IS NULL");
      return rows.map((row) => row[0] as DecisionRecord);
    },

    async pendingRewards() {
      const rows = await sql.query(
        `SELECT r.record, d.closed_at IS NOT NULL
         FROM learning_rewards r LEFT JOIN learning_decisions d ON d.decision_id = r.decision_id
         WHERE r.consumed_at IS NULL`,
      );
      const rewards = rows.map((row) => row[0] as RewardRecord);
      const closedDecisionIds = new Set<string>();
      rows.forEach((row, i) => {
        if (row[1] === true) {
          closedDecisionIds.add(rewards[i]!.decision_id);
        }
      });
      return { rewards, closedDecisionIds };
    },

    async policies() {
      const rows = await sql.query(
        "SELECT policy_id, surface, config, state, train_state, version, published FROM learning_policies",
      );
      return rows.map((row) => ({
        policyId: String(row[0]),
        surface: String(row[1]),
        config: row[2],
        state: row[3] as LinearStateJson,
        trainState: row[4] as LinearStateJson,
        version: String(row[5]),
        published: (row[6] ?? null) as BanditPolicyFile | null,
      }));
    },

    async holdout(policyId, limit) {
      const rows = await sql.query(
        `SELECT record, slot_rewards, outcome FROM learning_decisions
         WHERE policy_id = $1 AND holdout AND closed_at IS NOT NULL
         ORDER BY closed_at DESC, ts DESC LIMIT $2`,
        [policyId, limit],
      );
      return rows.map((row) => ({
        decision: row[0] as DecisionRecord,
        slotRewards: row[1] as (number | null)[],
        outcome: row[2] as JoinedDecision["outcome"],
      }));
    },

    async commitRun(commit) {
      await sql.transaction(async (session: SqlSession) => {
        if (commit.closed.length > 0) {
          const closed = await session.query(CLOSE_DECISIONS, [
            commit.closed.map((c) => c.decisionId),
            commit.closed.map((c) => c.outcome),
            commit.closed.map((c) => JSON.stringify(c.slotRewards)),
            String(commit.finishedAtMs),
          ]);
          if (closed.length !== commit.closed.length) {
            throw new LearningConflictError(
              `${commit.closed.length - closed.length} of the decisions this run joined were closed by another run meanwhile`,
            );
          }
        }
        if (commit.consumed.length > 0) {
          await session.query(CONSUME_REWARDS, [
            commit.consumed.map((r) => r.decisionId),
            commit.consumed.map((r) => r.eventId),
            String(commit.finishedAtMs),
          ]);
        }
        for (const { row, basedOn } of commit.policies) {
          const written = await session.query(UPSERT_POLICY, [
            row.policyId,
            row.surface,
            json(row.config),
            json(row.state),
            json(row.trainState),
            row.version,
            json(row.published),
            basedOn,
          ]);
          if (written.length !== 1) {
            throw new LearningConflictError(`policy ${row.policyId} was changed by another run meanwhile`);
          }
        }
        await session.query(
          `INSERT INTO learning_runs (id, started_at, finished_at, summary)
           VALUES ($1, to_timestamp($2::float8 / 1000), to_timestamp($3::float8 / 1000), $4::jsonb)`,
          [commit.runId, String(commit.startedAtMs), String(commit.finishedAtMs), json(commit.summary)],
        );
      });
    },

    async markPublished(runId, bundleVersion, files) {
      await sql.transaction(async (session) => {
        for (const file of files) {
          await session.query("UPDATE learning_policies SET published = $2::jsonb WHERE policy_id = $1", [
            file.id,
            JSON.stringify(file),
          ]);
        }
        await session.query("UPDATE learning_runs SET bundle_version = $2 WHERE id = $1", [
          runId,
          bundleVersion,
        ]);
      });
    },

    async lastBundleVersion() {
      const rows = await sql.query(
        `SELECT bundle_version FROM learning_runs WHERE bundle_version IS NOT NULL
         ORDER BY finished_at DESC, id DESC LIMIT 1`,
      );
      return rows.length === 0 ? null : String(rows[0]![0]);
    },

    async experimentOutcomes(experimentId) {
      const closed = await sql.query(
        `SELECT experiment_arm, slot_rewards -> 0, outcome FROM learning_decisions
         WHERE experiment_id = $1 AND closed_at IS NOT NULL`,
        [experimentId],
      );
      const open = await sql.query(
        `SELECT experiment_arm, count(*)::int FROM learning_decisions
         WHERE experiment_id = $1 AND closed_at IS NULL GROUP BY experiment_arm`,
        [experimentId],
      );
      return {
        closed: closed.map((row) => ({
          decision: { experiment: { id: experimentId, arm: String(row[0]) } },
          slotRewards: [Number(row[1])],
          outcome: row[2] as JoinedDecision["outcome"],
        })),
        openByArm: new Map(open.map((row) => [String(row[0]), Number(row[1])])),
      };
    },

    async experimentIds() {
      const rows = await sql.query(
        "SELECT DISTINCT experiment_id FROM learning_decisions WHERE experiment_id IS NOT NULL ORDER BY 1",
      );
      return rows.map((row) => String(row[0]));
    },

    async degradedDecisions(sinceMs) {
      const [row] = await sql.query(
        `SELECT count(*)::int, (count(*) FILTER (WHERE record -> 'context' ->> 'degraded' = 'true'))::int
         FROM learning_decisions WHERE ts >= $1 AND record -> 'context' ? 'degraded'`,
        [new Date(sinceMs).toISOString()],
      );
      return { decisions: Number(row?.[0] ?? 0), degraded: Number(row?.[1] ?? 0) };
    },

    async recentRuns(limit) {
      const rows = await sql.query(
        `SELECT id, started_at, finished_at, bundle_version, summary FROM learning_runs
         ORDER BY started_at DESC, id DESC LIMIT $1`,
        [limit],
      );
      return rows.map((row) => ({
        id: String(row[0]),
        startedAtMs: new Date(row[1] as string | Date).getTime(),
        finishedAtMs: new Date(row[2] as string | Date).getTime(),
        bundleVersion: row[3] === null ? null : String(row[3]),
        summary: row[4],
      }));
    },
  };
}
