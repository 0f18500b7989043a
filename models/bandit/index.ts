/**
 * models/bandit: exploration with logged propensities, identical at the edge and at the origin. Pure
 * TypeScript: no Node or workerd imports.
 */
export {
  BANDIT_ALGORITHMS,
  type BanditAlgorithm,
  BanditConfig,
  type BanditConfigInput,
  MAX_JOINT_DIMS,
} from "./config.ts";
export {
  encodeAction,
  encodeActions,
  encodeContext,
  encodeFeatureMap,
  FeatureShapeError,
} from "./encode-features.ts";
export {
  type JoinCounters,
  type JoinedDecision,
  type JoinOptions,
  type JoinResult,
  joinRewards,
} from "./join-rewards.ts";
export { type LearnedBatch, type LearningMode, learnFromDecision, learnFromJoined } from "./learn.ts";
export {
  accumulateExample,
  type ContextProjection,
  cloneLinearState,
  createLinearState,
  type LinearBanditState,
  projectContext,
  refreshLinearState,
  updateLinearStateOnline,
} from "./linear-state.ts";
export {
  type BanditPolicy,
  createBanditPolicy,
  type EncodedCandidates,
  encodeCandidates,
  selectSlate,
  topSlotDistribution,
} from "./policy.ts";
export {
  BANDIT_ARTIFACT,
  BanditPolicyBundle,
  decodePolicyBundle,
  encodePolicyBundle,
} from "./policy-bundle.ts";
export {
  BanditPolicyFile,
  banditPolicyFromFile,
  banditPolicyToFile,
  decodeBanditPolicy,
  encodeBanditPolicy,
  LinearStateJson,
  linearStateFromJson,
  linearStateToJson,
} from "./policy-file.ts";
export { banditPolicyId, enginePolicyId, isBanditPolicyOf } from "./policy-id.ts";
export { type RankOptions, rankDecision, rankResponse } from "./rank-decision.ts";
export {
  drawIndex,
  epsilonGreedyAroundRanking,
  type Slate,
  type SlotRule,
  sampleSlate,
  slotDistribution,
} from "./slate.ts";
