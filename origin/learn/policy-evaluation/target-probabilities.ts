/**
 * π(a | x_i) for every logged record and candidate: what a candidate policy would have done on the logged
 * contexts (top slot). Exact for softmax-ucb and epsilon-greedy, a Monte Carlo estimate for thompson.
 */
import { type BanditPolicy, topSlotDistribution } from "../../../models/bandit/policy.ts";
import { mulberry32 } from "../../../models/random.ts";
import { assertSameDims, type LoggedBanditData } from "./logged-data.ts";

/** Aligned with data.candidates' rows. */
export function policyTargetProbabilities(
  policy: BanditPolicy,
  data: LoggedBanditData,
  seed = 1,
): Float64Array {
  assertSameDims(data, policy.config);
  const rng = mulberry32(seed);
  const { contextDims: dc, actionDims: da } = data;
  const out = new Float64Array(data.candidateOffsets[data.records]!);
  for (let i = 0; i < data.records; i++) {
    const start = data.candidateOffsets[i]!;
    const end = data.candidateOffsets[i + 1]!;
    topSlotDistribution(
      policy,
      {
        context: data.contexts.subarray(i * dc, (i + 1) * dc),
        actions: data.candidates.subarray(start * da, end * da),
        count: end - start,
      },
      rng,
      out.subarray(start, end),
    );
  }
  return out;
}
