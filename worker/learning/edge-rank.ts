/**
 * POST /rank's decision: the surface's (or experiment arm's) published bandit policy, or, before one is
 * published, the cold-start policy: uniform random slates, logged as epsilon-greedy with ε = 1, so every
 * slot's propensity is exactly 1 / (actions still available). Uniform logs are the best start for
 * learning and evaluation: every action had the same chance in every context.
 */
import {
  type BanditConfig,
  type BanditPolicy,
  createLinearState,
  type LinearBanditState,
  rankDecision,
} from "../../models/bandit/index.ts";
import type { SurfaceConfig } from "../../models/contracts/index.ts";
import { DECISION_LIMITS, type DecisionRecord, type RankRequest } from "../../models/contracts/index.ts";
import { fnv1a32 } from "../../models/hash/index.ts";
import { mulberry32 } from "../../models/random.ts";
import type { LoadedPolicies } from "./policy-cache.ts";
import { servingArm } from "./serving-arm.ts";

/** The version a cold-start decision logs: no parameters were used. */
export const COLD_START_VERSION = "cold-start";

export interface DegradedCause {
  code: "policy_unavailable" | "policy_config_mismatch" | "decision_not_logged";
  message: string;
}

export interface EdgeRank {
  decision: DecisionRecord;
  /** No learned policy decided: the cold-start policy did. */
  coldStart: boolean;
  degradedCauses: DegradedCause[];
}

export interface EdgeRankInput {
  request: RankRequest;
  surface: SurfaceConfig;
  /** The manifest's published policies; null when none are published. */
  policies: LoadedPolicies | null;
  /** Why the published policies could not be read, when they could not. */
  policiesError: string | null;
  decisionId: string;
  nowMs: number;
}

/**
 * Zero states for cold-start policies, by shape: ranking never writes to them, and allocating d² floats
 * per request (d up to 256) would be wasted work.
 */
const zeroStates = new Map<string, LinearBanditState>();

function zeroState(config: BanditConfig): LinearBanditState {
  const key = `${config.contextDims}x${config.actionDims}x${config.ridge}`;
  let state = zeroStates.get(key);
  if (state === undefined) {
    state = createLinearState(config.contextDims, config.actionDims, config.ridge);
    zeroStates.set(key, state);
  }
  return state;
}

/** Throws FeatureShapeError when an action's vector does not fit the surface's configuration. */
export function edgeRank(input: EdgeRankInput): EdgeRank {
  const { request, surface } = input;
  const arm = servingArm(surface, request.context.user_id ?? input.decisionId);
  const degradedCauses: DegradedCause[] = [];
  if (input.policiesError !== null) {
    degradedCauses.push({ code: "policy_unavailable", message: input.policiesError });
  }
  let policy: BanditPolicy | null = null;
  const published = input.policies?.policy(arm.banditPolicyId) ?? null;
  if (published !== null) {
    const { contextDims, actionDims, ridge } = published.config;
    if (
      contextDims === arm.bandit.contextDims &&
      actionDims === arm.bandit.actionDims &&
      ridge === arm.bandit.ridge
    ) {
      // The parameters depend only on the shape and the ridge: exploration settings changed in the
      // manifest apply at once, without waiting for the next learning run.
      policy = { ...published, config: arm.bandit };
    } else {
      degradedCauses.push({
        code: "policy_config_mismatch",
        message: `policy ${published.id}@${published.version} was learned as ${contextDims}×${actionDims} (ridge ${ridge}); the surface now asks for ${arm.bandit.contextDims}×${arm.bandit.actionDims} (ridge ${arm.bandit.ridge}); ranking at random until the next learning run`,
      });
    }
  }
  const coldStart = policy === null;
  if (policy === null) {
    policy = {
      id: arm.banditPolicyId,
      version: COLD_START_VERSION,
      surface: surface.name,
      config: { ...arm.bandit, algorithm: "epsilon-greedy", epsilon: 1 },
      state: zeroState(arm.bandit),
    };
  }
  const decision = rankDecision(policy, request, {
    decisionId: input.decisionId,
    nowMs: input.nowMs,
    // Seeded by the decision id: a decision can be replayed from its log and the policy version.
    rng: mulberry32(fnv1a32(input.decisionId)),
    defaultK: Math.min(surface.k.default, DECISION_LIMITS.slots),
    experiment: arm.experiment,
  });
  return { decision, coldStart, degradedCauses };
}
