/**
 * Sticky assignment: bucket = fmix32(FNV-1a 32(UTF-8 of experimentId + "\0" + unitId)) / 2³², and the
 * arm whose cumulative normalised weight first exceeds the bucket. NUL cannot occur in either id, so no
 * two (experiment, unit) pairs hash the same string. The unit is the user id; a request without one can
 * pass a session id (sticky per session) or the decision id (a fresh draw per request).
 */
import { unitHash } from "../hash/index.ts";
import type { Experiment, ExperimentArm } from "./experiment.ts";

export function assignmentBucket(experimentId: string, unitId: string): number {
  return unitHash(`${experimentId}\u0000${unitId}`);
}

/** Generic over the arm type, so a configuration's own arm shape (with its settings) comes back whole. */
export function assignArm<Arm extends Pick<ExperimentArm, "weight">>(
  experiment: Pick<Experiment, "id"> & { arms: readonly Arm[] },
  unitId: string,
): Arm {
  const bucket = assignmentBucket(experiment.id, unitId);
  let total = 0;
  for (const arm of experiment.arms) {
    total += arm.weight;
  }
  let cumulative = 0;
  for (const arm of experiment.arms) {
    cumulative += arm.weight / total;
    if (bucket < cumulative) {
      return arm;
    }
  }
  // The cumulative sum can round to just under 1.
  return experiment.arms[experiment.arms.length - 1]!;
}
