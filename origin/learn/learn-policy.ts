/**
 * One policy's part of a learning run, pure: add the run's newly closed decisions to the policy's
 * sufficient statistics, then ask the publish gate whether the result may serve. The gate evaluates, by
 * off-policy evaluation against what the logs observed, a twin of the candidate that never learned from
 * holdout decisions, on the latest holdout decisions (holdout.ts): a candidate judged on the very records
 * it learned from would look better than it is.
 */
import {
  BanditConfig,
  type BanditPolicy,
  type BanditPolicyFile,
  banditPolicyToFile,
  createLinearState,
  type JoinedDecision,
  type LinearBanditState,
  learnFromJoined,
  linearStateFromJson,
  linearStateToJson,
} from "../../models/bandit/index.ts";
import { isHoldout } from "./holdout.ts";
import type { PolicyStateRow } from "./learning-store.ts";
import { comparePolicies, loggedDataFromJoined, publishGate } from "./policy-evaluation/index.ts";

export interface GateSettings {
  /** Holdout decisions the gate needs before it judges; with fewer, nothing is published unless forced. */
  minRecords: number;
  /** The latest this many holdout decisions are evaluated on. */
  window: number;
  force: boolean;
  /** Refuse inconclusive candidates too, not only worse ones. */
  requireImprovement: boolean;
}

export const DEFAULT_GATE: GateSettings = {
  minRecords: 30,
  window: 5_000,
  force: false,
  requireImprovement: false,
};

export interface PolicyLearningInput {
  policyId: string;
  surface: string;
  /** The configuration the surface (or arm) asks for now. */
  config: BanditConfig;
  previous: PolicyStateRow | null;
  /** This run's newly closed decisions of the policy. */
  joined: readonly JoinedDecision[];
  /** Holdout decisions closed by earlier runs, newest first. */
  earlierHoldout: readonly JoinedDecision[];
  runId: string;
  gate: GateSettings;
}

export interface GateOutcome {
  publish: boolean;
  reason: string;
  holdoutRecords: number;
  /** The deciding estimator's values, when the gate could evaluate. */
  estimates?: { estimator: string; candidate: number; logging: number; difference: [number, number] };
}

export interface PolicyLearningResult {
  row: PolicyStateRow;
  /** The policy file to publish if the gate lets it. */
  candidate: BanditPolicyFile;
  examples: number;
  /** Decisions whose vectors do not fit the configuration (logged under another one). */
  skipped: number;
  /** The stored state was learned with another shape or ridge and was started afresh. */
  reset: boolean;
  gate: GateOutcome;
}

function sameShape(a: BanditConfig, b: BanditConfig): boolean {
  return a.contextDims === b.contextDims && a.actionDims === b.actionDims && a.ridge === b.ridge;
}

export function learnPolicy(input: PolicyLearningInput): PolicyLearningResult {
  const { config, previous } = input;
  const previousConfig = previous === null ? null : BanditConfig.safeParse(previous.config);
  const resume = previousConfig?.success === true && sameShape(previousConfig.data, config);
  const fresh = () => createLinearState(config.contextDims, config.actionDims, config.ridge);
  const all: LinearBanditState = resume ? linearStateFromJson(previous!.state) : fresh();
  const train: LinearBanditState = resume ? linearStateFromJson(previous!.trainState) : fresh();

  const learned = learnFromJoined(all, input.joined);
  const newHoldout = input.joined.filter((j) => isHoldout(j.decision.decision_id));
  learnFromJoined(
    train,
    input.joined.filter((j) => !isHoldout(j.decision.decision_id)),
  );

  const policy = (state: LinearBanditState): BanditPolicy => ({
    id: input.policyId,
    version: input.runId,
    surface: input.surface,
    config,
    state,
  });
  const holdout = [...newHoldout, ...input.earlierHoldout].slice(0, input.gate.window);
  return {
    row: {
      policyId: input.policyId,
      surface: input.surface,
      config,
      state: linearStateToJson(all),
      trainState: linearStateToJson(train),
      version: input.runId,
      published: previous?.published ?? null,
    },
    candidate: banditPolicyToFile(policy(all)),
    examples: learned.examples,
    skipped: learned.skipped,
    reset: previous !== null && !resume,
    gate: gateCandidate(policy(train), holdout, input.gate),
  };
}

function gateCandidate(
  twin: BanditPolicy,
  holdout: readonly JoinedDecision[],
  settings: GateSettings,
): GateOutcome {
  const { data } = loggedDataFromJoined(holdout, {
    contextDims: twin.config.contextDims,
    actionDims: twin.config.actionDims,
    surface: twin.surface,
  });
  if (data.records < settings.minRecords) {
    const reason = `${data.records} holdout decision(s) to evaluate on; the gate needs ${settings.minRecords}`;
    return settings.force
      ? { publish: true, reason: `forced despite: ${reason}`, holdoutRecords: data.records }
      : { publish: false, reason, holdoutRecords: data.records };
  }
  const comparison = comparePolicies(data, twin, "observed", { seed: 1 });
  const gate = publishGate(comparison, {
    force: settings.force,
    requireImprovement: settings.requireImprovement,
  });
  const by = comparison.decideBy;
  return {
    ...gate,
    holdoutRecords: data.records,
    estimates: {
      estimator: by,
      candidate: comparison.candidate[by].value,
      logging: comparison.logging[by].value,
      difference: [comparison.difference[by].lower, comparison.difference[by].upper],
    },
  };
}
