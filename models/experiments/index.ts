/** models/experiments: sticky traffic splits between a surface's configurations, and per-arm results. */
export { type ArmOutcome, type ArmResult, type ArmResultOptions, armResults } from "./arm-results.ts";
export { assignArm, assignmentBucket } from "./assign-arm.ts";
export { Experiment, ExperimentArm } from "./experiment.ts";
