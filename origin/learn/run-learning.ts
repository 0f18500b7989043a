/**
 * One learning run: join, learn, evaluate, publish.
 *
 *   1. join     the open decisions and pending rewards (the state earlier runs left in the database) with
 *               joinRewards at now − the logs' arrival delay; decisions still inside their window stay open
 *   2. learn    each bandit policy adds its newly closed decisions to its sufficient statistics
 *   3. evaluate the publish gate judges each changed policy on its holdout (learn-policy.ts)
 *   4. commit   closed decisions, consumed rewards and policy states, in one transaction that fails whole
 *               if another run got there first
 *   5. publish  the `bandit` artifact (every policy's latest passing version) through publishArtifacts,
 *               which carries the rest of the serving manifest over unchanged
 *
 * One run at a time among every process and instance on the database (the `learn` run lock): a run started
 * while another is going throws RunBusyError without touching anything. The publish waits for the
 * `publish` lock, so it never interleaves with a training release's or a rollback's manifest write.
 *
 * A publish that fails after the commit loses nothing: the learned state is kept, and the next run
 * publishes a candidate that includes it. A manifest published by other means without the `bandit`
 * artifact (a training release that does not carry it) gets it back at the next run.
 */
import { randomBytes } from "node:crypto";
import { appendToGroup } from "../../models/append-to-group.ts";
import {
  BANDIT_ARTIFACT,
  type BanditPolicyFile,
  encodePolicyBundle,
  isBanditPolicyOf,
  type JoinCounters,
  type JoinedDecision,
  joinRewards,
} from "../../models/bandit/index.ts";
import { inTurn, RunBusyError } from "../ingest/index.ts";
import { learningRunDuration, runsBusy, secondsSince } from "../metrics.ts";
import { type PublishTargets, publishArtifacts, readServingManifest } from "../release/index.ts";
import { DEFAULT_GATE, type GateOutcome, type GateSettings, learnPolicy } from "./learn-policy.ts";
import type { LearningStore, PolicyStateRow } from "./learning-store.ts";
import { policyConfig, servingSurfaces } from "./policy-configs.ts";

export interface LearningOptions {
  /** The join window after each decision. Default one hour. */
  windowMs?: number;
  /** The longest the logs take to reach the origin; the join runs at now − this. Default one minute. */
  arrivalDelayMs?: number;
  /** Reward of a shown slot no reward mentions, in [-1, 1]. Default 0. */
  defaultReward?: number;
  /** Publish even what the gate refuses. */
  force?: boolean;
  gate?: Partial<Omit<GateSettings, "force">>;
  /** The wall clock; Date.now by default. */
  nowMs?: number;
}

/** Runs work against the publish targets (the caller opens and closes them). */
export type WithTargets = <T>(work: (targets: PublishTargets) => Promise<T>) => Promise<T>;

export interface LearningDeps {
  store: LearningStore;
  /** Where policies are published; without it the run learns and records, and publishes nothing. */
  withTargets?: WithTargets;
}

export interface PolicyReport {
  policyId: string;
  surface: string;
  /** This run's closed decisions of the policy. */
  decisions: number;
  examples: number;
  skipped: number;
  reset: boolean;
  gate: GateOutcome;
}

export interface LearningReport {
  runId: string;
  joinedAtMs: number;
  join: JoinCounters;
  /** Closed decisions that no bandit learns from (GET /recommendations' decision engine). */
  notBandit: number;
  policies: PolicyReport[];
  published: { artifactVersion: string; manifestVersion: number; policies: string[] } | null;
  message: string;
}

function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, "").replace(".", "");
  return `learn-${stamp}-${randomBytes(3).toString("hex")}`;
}

export async function runLearning(
  deps: LearningDeps,
  options: LearningOptions = {},
): Promise<LearningReport> {
  const startNs = process.hrtime.bigint();
  const run = (targets: PublishTargets | null) => learningRun(deps.store, targets, options);
  const held = await deps.store.locks.hold("learn", "try", async () => {
    try {
      const report = await (deps.withTargets ? deps.withTargets((targets) => run(targets)) : run(null));
      learningRunDuration.observe(
        { outcome: report.published ? "published" : "learned" },
        secondsSince(startNs),
      );
      return report;
    } catch (error) {
      learningRunDuration.observe({ outcome: "failed" }, secondsSince(startNs));
      throw error;
    }
  });
  if (!held.acquired) {
    runsBusy.inc({ kind: "learn" });
    throw new RunBusyError(
      "learn",
      "another learning run is going on this database (another process or instance); this one did not start",
    );
  }
  return held.value;
}

async function learningRun(
  store: LearningStore,
  targets: PublishTargets | null,
  options: LearningOptions,
): Promise<LearningReport> {
  const startedAtMs = options.nowMs ?? Date.now();
  const runId = newRunId(startedAtMs);
  const joinedAtMs = startedAtMs - (options.arrivalDelayMs ?? 60_000);
  const gate: GateSettings = { ...DEFAULT_GATE, ...options.gate, force: options.force === true };
  // An unreadable manifest/current: the newest readable release's surfaces, and the publish rewrites it.
  const manifest = targets === null ? null : (await readServingManifest(targets.models)).manifest;
  const surfaces = servingSurfaces(manifest);

  const [open, pending, stored] = await Promise.all([
    store.openDecisions(),
    store.pendingRewards(),
    store.policies(),
  ]);
  const join = joinRewards(open, pending.rewards, {
    windowMs: options.windowMs ?? 3_600_000,
    now: joinedAtMs,
    defaultReward: options.defaultReward ?? 0,
    closedDecisionIds: pending.closedDecisionIds,
  });

  const byPolicy = new Map<string, JoinedDecision[]>();
  let notBandit = 0;
  for (const joined of join.joined) {
    const { policy, surface } = joined.decision;
    if (!isBanditPolicyOf(policy.id, surface)) {
      notBandit++;
      continue;
    }
    appendToGroup(byPolicy, policy.id, joined);
  }
  const previousById = new Map(stored.map((row) => [row.policyId, row]));
  const learned = [];
  for (const [policyId, joined] of byPolicy) {
    const surface = joined[0]!.decision.surface;
    const previous = previousById.get(policyId) ?? null;
    learned.push({
      previous,
      result: learnPolicy({
        policyId,
        surface,
        config: policyConfig(surfaces, surface, policyId, previous),
        previous,
        joined,
        earlierHoldout: await store.holdout(policyId, gate.window),
        runId,
        gate,
      }),
    });
  }

  const held = new Set(join.heldRewards.map((r) => `${r.decision_id}\u0000${r.event_id}`));
  await store.commitRun({
    runId,
    startedAtMs,
    finishedAtMs: options.nowMs ?? Date.now(),
    closed: join.joined.map((j) => ({
      decisionId: j.decision.decision_id,
      outcome: j.outcome,
      slotRewards: j.slotRewards,
    })),
    consumed: pending.rewards
      .filter((r) => !held.has(`${r.decision_id}\u0000${r.event_id}`))
      .map((r) => ({ decisionId: r.decision_id, eventId: r.event_id })),
    policies: learned.map(({ previous, result }) => ({
      row: result.row,
      basedOn: previous?.version ?? null,
    })),
    summary: {
      join: join.counters,
      policies: learned.map(({ result }) => ({ policy: result.row.policyId, ...summaryOf(result) })),
    },
  });

  const passing = learned.filter(({ result }) => result.gate.publish).map(({ result }) => result.candidate);
  const published =
    targets === null
      ? null
      : await inTurn(store.locks, "publish", () =>
          publishBundle(
            store,
            targets,
            runId,
            passing,
            stored,
            manifest?.artifacts?.[BANDIT_ARTIFACT] === undefined,
          ),
        );
  const policies = learned.map(({ result }) => ({
    policyId: result.row.policyId,
    surface: result.row.surface,
    decisions: byPolicy.get(result.row.policyId)!.length,
    ...summaryOf(result),
  }));
  return {
    runId,
    joinedAtMs,
    join: join.counters,
    notBandit,
    policies,
    published,
    message: describe(join.counters, policies, published, targets !== null),
  };
}

function summaryOf(result: ReturnType<typeof learnPolicy>) {
  return { examples: result.examples, skipped: result.skipped, reset: result.reset, gate: result.gate };
}

/**
 * Publishes the bundle when a policy passed its gate, or when the serving manifest lacks the artifact
 * although policies were published before (a release published by other means dropped it).
 */
async function publishBundle(
  store: LearningStore,
  targets: PublishTargets,
  runId: string,
  passing: readonly BanditPolicyFile[],
  stored: readonly PolicyStateRow[],
  artifactMissing: boolean,
): Promise<LearningReport["published"]> {
  const files = new Map<string, BanditPolicyFile>();
  for (const row of stored) {
    if (row.published !== null) {
      files.set(row.policyId, row.published);
    }
  }
  const restore = artifactMissing && files.size > 0;
  if (passing.length === 0 && !restore) {
    return null;
  }
  for (const file of passing) {
    files.set(file.id, file);
  }
  const { manifest } = await publishArtifacts(targets, [
    { name: BANDIT_ARTIFACT, version: runId, bytes: encodePolicyBundle([...files.values()]) },
  ]);
  await store.markPublished(runId, runId, passing);
  return { artifactVersion: runId, manifestVersion: manifest.version, policies: [...files.keys()].sort() };
}

function describe(
  c: JoinCounters,
  policies: readonly PolicyReport[],
  published: LearningReport["published"],
  canPublish: boolean,
): string {
  const joined = `joined ${c.closedDecisions} decision(s) (${c.rewardedDecisions} rewarded, ${c.defaultedDecisions} default), ${c.openDecisions} still open; rewards: ${c.applied} applied, ${c.late} late, ${c.duplicates} duplicate, ${c.unknownHeld} held, ${c.unknownDropped} dropped unknown`;
  const learned = policies.map(
    (p) =>
      `${p.policyId}: +${p.examples} example(s)${p.reset ? " (state reset)" : ""}, ${p.gate.publish ? "passes" : "held back"}: ${p.gate.reason}`,
  );
  const outcome = published
    ? `published ${BANDIT_ARTIFACT}@${published.artifactVersion} in manifest ${published.manifestVersion}`
    : canPublish
      ? "nothing published"
      : "not published (no publish target)";
  return [joined, ...learned, outcome].join("; ");
}
