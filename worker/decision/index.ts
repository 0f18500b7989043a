/** The decision engine: pure TypeScript that Node tests import directly and workerd runs unchanged. */
export { isEligible } from "./candidate-rules.ts";
export { clampK } from "./clamp-k.ts";
export { decide } from "./decide.ts";
export { type KernelCandidateOptions, kernelCandidates } from "./kernel-candidates.ts";
export type {
  CandidateGenerator,
  CandidateSource,
  DecidedItem,
  Decision,
  DecisionContext,
  DecisionRequest,
  DegradedCause,
  DegradedCode,
  EmptyCode,
  Reason,
  RequestFilters,
} from "./types.ts";
