/**
 * Joined decisions → flat arrays for off-policy evaluation. Evaluation is about the top slot: the
 * action the logging policy put first (propensity P(first)), and its reward. That is the quantity a
 * scalar reward measures, and the only slot whose logged propensity is unconditional; lower slots'
 * propensities are conditional on the slots above, so weighting them needs the whole prefix.
 */
import { encodeAction, encodeFeatureMap, FeatureShapeError } from "../../../models/bandit/encode-features.ts";
import type { JoinedDecision } from "../../../models/bandit/join-rewards.ts";

export interface LoggedBanditData {
  records: number;
  contextDims: number;
  actionDims: number;
  /** records × contextDims. */
  contexts: Float64Array;
  /** Record i's candidates are rows candidateOffsets[i] … candidateOffsets[i + 1] − 1 of `candidates`. */
  candidateOffsets: Uint32Array;
  /** totalCandidates × actionDims. */
  candidates: Float64Array;
  /** Index, within its record's candidates, of the action shown first. */
  logged: Uint32Array;
  /** The logging policy's P(that action first). */
  propensities: Float64Array;
  rewards: Float64Array;
}

export interface LoggedDataOptions {
  contextDims: number;
  actionDims: number;
  /** Only decisions of this surface. */
  surface?: string;
}

export interface LoggedDataResult {
  data: LoggedBanditData;
  /** Decisions left out: another surface, or vectors that do not fit the dimensions. */
  skipped: { otherSurface: number; shapeMismatch: number };
}

export function loggedDataFromJoined(
  joined: readonly JoinedDecision[],
  options: LoggedDataOptions,
): LoggedDataResult {
  const { contextDims: dc, actionDims: da } = options;
  const kept: JoinedDecision[] = [];
  const skipped = { otherSurface: 0, shapeMismatch: 0 };
  let totalCandidates = 0;
  for (const j of joined) {
    if (options.surface !== undefined && j.decision.surface !== options.surface) {
      skipped.otherSurface++;
      continue;
    }
    const badVector = j.decision.actions.some((a) => a.vector !== undefined && a.vector.length !== da - 1);
    if (badVector) {
      skipped.shapeMismatch++;
      continue;
    }
    kept.push(j);
    totalCandidates += j.decision.actions.length;
  }
  const data: LoggedBanditData = {
    records: kept.length,
    contextDims: dc,
    actionDims: da,
    contexts: new Float64Array(kept.length * dc),
    candidateOffsets: new Uint32Array(kept.length + 1),
    candidates: new Float64Array(totalCandidates * da),
    logged: new Uint32Array(kept.length),
    propensities: new Float64Array(kept.length),
    rewards: new Float64Array(kept.length),
  };
  let row = 0;
  kept.forEach(({ decision, slotRewards }, i) => {
    encodeFeatureMap(decision.context, dc, data.contexts, i * dc);
    data.candidateOffsets[i] = row;
    const top = decision.ranking[0]!;
    decision.actions.forEach((action, a) => {
      encodeAction(action, da, data.candidates, (row + a) * da);
      if (action.id === top.action_id) {
        data.logged[i] = a;
      }
    });
    row += decision.actions.length;
    data.propensities[i] = top.propensity;
    // The join gives slot 0 a value always (a reward or the default).
    data.rewards[i] = slotRewards[0]!;
  });
  data.candidateOffsets[kept.length] = row;
  return { data, skipped };
}

/** Checks the logged data and a policy agree on dimensions (a policy trained for other features cannot be scored). */
export function assertSameDims(
  data: LoggedBanditData,
  dims: { contextDims: number; actionDims: number },
): void {
  if (data.contextDims !== dims.contextDims || data.actionDims !== dims.actionDims) {
    throw new FeatureShapeError(
      `logged data are encoded as ${data.contextDims}×${data.actionDims}, the policy expects ${dims.contextDims}×${dims.actionDims}`,
    );
  }
}
