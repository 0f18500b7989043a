/**
 * update(parameters, decision, reward): what a joined decision teaches the linear model. Each shown slot
 * with a reward is one (context, action, reward) example; slots below the top are learned as if shown
 * alone (position effects are not modelled). The origin learns in batches (accumulate, then one O(d³)
 * refresh); an edge isolate may learn online between publishes (O(d²) per example).
 */
import type { DecisionRecord } from "../contracts/decision.ts";
import { encodeAction, encodeContext, FeatureShapeError } from "./encode-features.ts";
import type { JoinedDecision } from "./join-rewards.ts";
import {
  accumulateExample,
  type LinearBanditState,
  refreshLinearState,
  updateLinearStateOnline,
} from "./linear-state.ts";

export type LearningMode = "batch" | "online";

/**
 * Adds the decision's rewarded slots to `state` and returns how many examples that was. In batch mode the
 * derived arrays go stale until refreshLinearState; online mode keeps them current. Every slot is encoded
 * before any is learned, so a decision whose vectors do not fit the model's dimensions (logged under an
 * older configuration) throws FeatureShapeError and changes nothing.
 */
export function learnFromDecision(
  state: LinearBanditState,
  decision: DecisionRecord,
  slotRewards: readonly (number | null)[],
  mode: LearningMode,
): number {
  const context = encodeContext(decision.context, state.contextDims);
  const byId = new Map(decision.actions.map((a) => [a.id, a]));
  const da = state.actionDims;
  const slots: number[] = [];
  for (let slot = 0; slot < decision.ranking.length; slot++) {
    const reward = slotRewards[slot];
    if (reward !== null && reward !== undefined) {
      slots.push(slot);
    }
  }
  const actions = new Float64Array(slots.length * da);
  slots.forEach((slot, e) => {
    encodeAction(byId.get(decision.ranking[slot]!.action_id)!, da, actions, e * da);
  });
  slots.forEach((slot, e) => {
    const reward = slotRewards[slot]!;
    if (mode === "online") {
      updateLinearStateOnline(state, context, actions, e * da, reward);
    } else {
      accumulateExample(state, context, actions, e * da, reward);
    }
  });
  return slots.length;
}

export interface LearnedBatch {
  /** (context, action, reward) examples added. */
  examples: number;
  /** Decisions left out because their vectors do not fit the model's dimensions. */
  skipped: number;
}

/** A batch of joined decisions into `state`, then one refresh. */
export function learnFromJoined(state: LinearBanditState, joined: readonly JoinedDecision[]): LearnedBatch {
  const batch: LearnedBatch = { examples: 0, skipped: 0 };
  for (const { decision, slotRewards } of joined) {
    try {
      batch.examples += learnFromDecision(state, decision, slotRewards, "batch");
    } catch (error) {
      if (!(error instanceof FeatureShapeError)) {
        throw error;
      }
      batch.skipped++;
    }
  }
  refreshLinearState(state);
  return batch;
}
