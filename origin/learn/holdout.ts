/**
 * The evaluation holdout: a fixed share of decisions, chosen by a hash of the decision id (so every
 * backend and every run agree without storing a random draw), that the publish gate evaluates candidates
 * on. The gate's candidate never learns from them; the published policy does, since they are as
 * informative as any other decision.
 */
import { unitHash } from "../../models/hash/index.ts";

export const HOLDOUT_SHARE = 0.2;

export function isHoldout(decisionId: string, share = HOLDOUT_SHARE): boolean {
  return unitHash(`holdout\u0000${decisionId}`) < share;
}
