/**
 * A bandit policy: a surface's configuration and the linear model it explores with. selectSlate is what
 * the edge runs per decision; topSlotDistribution is what off-policy evaluation asks of a candidate.
 */
import type { FeatureMap, RankAction } from "../contracts/decision.ts";
import type { Rng } from "../random.ts";
import type { BanditConfig } from "./config.ts";
import { encodeActions, encodeContext } from "./encode-features.ts";
import {
  type ContextProjection,
  createLinearState,
  type LinearBanditState,
  projectContext,
} from "./linear-state.ts";
import { type Slate, type SlotRule, sampleSlate, slotDistribution } from "./slate.ts";
import { thompsonSlate, thompsonTopSlotDistribution } from "./thompson.ts";

export interface BanditPolicy {
  /** Names the configuration: surface, and experiment arm when there is one. */
  id: string;
  /** Version of the parameters; a new one per publish. */
  version: string;
  surface: string;
  config: BanditConfig;
  state: LinearBanditState;
}

export function createBanditPolicy(options: {
  id: string;
  version: string;
  surface: string;
  config: BanditConfig;
}): BanditPolicy {
  const { config } = options;
  return { ...options, state: createLinearState(config.contextDims, config.actionDims, config.ridge) };
}

/** One decision's inputs as the model sees them. */
export interface EncodedCandidates {
  context: Float64Array;
  /** count × actionDims. */
  actions: Float64Array;
  count: number;
}

export function encodeCandidates(
  config: BanditConfig,
  context: FeatureMap,
  actions: readonly RankAction[],
): EncodedCandidates {
  return {
    context: encodeContext(context, config.contextDims),
    actions: encodeActions(actions, config.actionDims),
    count: actions.length,
  };
}

/** Predicted reward plus, for softmax-ucb, alpha times the confidence width, for every candidate. */
function scoresFor(
  config: BanditConfig,
  projection: ContextProjection,
  encoded: EncodedCandidates,
): Float64Array {
  const da = config.actionDims;
  const bonus = config.algorithm === "softmax-ucb" ? config.alpha : 0;
  const scores = new Float64Array(encoded.count);
  const { mean, covariance } = projection;
  for (let a = 0; a < encoded.count; a++) {
    const y = a * da;
    let predicted = 0;
    let width2 = 0;
    for (let j = 0; j < da; j++) {
      const yj = encoded.actions[y + j]!;
      if (yj === 0) {
        continue;
      }
      predicted += mean[j]! * yj;
      if (bonus > 0) {
        let row = 0;
        for (let l = 0; l < da; l++) {
          row += covariance[j * da + l]! * encoded.actions[y + l]!;
        }
        width2 += yj * row;
      }
    }
    scores[a] = predicted + bonus * Math.sqrt(Math.max(0, width2));
  }
  return scores;
}

function slotRule(config: BanditConfig): SlotRule {
  return config.algorithm === "epsilon-greedy"
    ? { kind: "epsilon-greedy", epsilon: config.epsilon }
    : { kind: "softmax", temperature: config.temperature, epsilon: config.epsilon };
}

/** The ranking of min(k, count) slots and each slot's propensity. */
export function selectSlate(policy: BanditPolicy, encoded: EncodedCandidates, k: number, rng: Rng): Slate {
  const { config } = policy;
  const projection = projectContext(policy.state, encoded.context);
  if (config.algorithm === "thompson") {
    return thompsonSlate(projection, encoded.actions, encoded.count, k, config, rng);
  }
  return sampleSlate(scoresFor(config, projection, encoded), k, slotRule(config), rng);
}

/**
 * P(each candidate in the top slot): exact for softmax-ucb and epsilon-greedy; a Monte Carlo estimate with
 * `propensityDraws` draws for thompson (the rng is then used).
 */
export function topSlotDistribution(
  policy: BanditPolicy,
  encoded: EncodedCandidates,
  rng: Rng,
  out: Float64Array = new Float64Array(encoded.count),
): Float64Array {
  const { config } = policy;
  const projection = projectContext(policy.state, encoded.context);
  if (config.algorithm === "thompson") {
    thompsonTopSlotDistribution(projection, encoded.actions, encoded.count, config, rng, out);
  } else {
    slotDistribution(
      scoresFor(config, projection, encoded),
      new Uint8Array(encoded.count),
      slotRule(config),
      out,
    );
  }
  return out;
}
