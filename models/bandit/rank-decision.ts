/**
 * POST /rank's core: a parsed request and a policy in, the decision record to log out (the response is a
 * projection of it). The caller supplies the id, the clock and the random stream, so the function stays
 * pure; seeding the stream from the decision id makes every decision replayable.
 */
import type { DecisionRecord, ExperimentRef, RankRequest, RankResponse } from "../contracts/decision.ts";
import type { Rng } from "../random.ts";
import { type BanditPolicy, encodeCandidates, selectSlate } from "./policy.ts";

export interface RankOptions {
  decisionId: string;
  nowMs: number;
  rng: Rng;
  /** Slots when the request names none (the surface's default); clamped to the number of actions. */
  defaultK: number;
  experiment: ExperimentRef | null;
}

export function rankDecision(
  policy: BanditPolicy,
  request: RankRequest,
  options: RankOptions,
): DecisionRecord {
  if (request.context.surface !== policy.surface) {
    throw new Error(
      `policy '${policy.id}' serves surface '${policy.surface}', not '${request.context.surface}'`,
    );
  }
  const encoded = encodeCandidates(policy.config, request.context.features, request.actions);
  const slate = selectSlate(policy, encoded, request.k ?? options.defaultK, options.rng);
  return {
    decision_id: options.decisionId,
    ts: options.nowMs,
    surface: request.context.surface,
    ...(request.context.user_id === undefined ? {} : { user_id: request.context.user_id }),
    policy: { id: policy.id, version: policy.version, algorithm: policy.config.algorithm },
    experiment: options.experiment,
    context: request.context.features,
    actions: request.actions,
    ranking: Array.from(slate.order, (a, slot) => ({
      action_id: request.actions[a]!.id,
      propensity: slate.propensities[slot]!,
    })),
  };
}

export function rankResponse(decision: DecisionRecord): RankResponse {
  return {
    decision_id: decision.decision_id,
    ranking: decision.ranking,
    policy: decision.policy,
    experiment: decision.experiment,
  };
}
