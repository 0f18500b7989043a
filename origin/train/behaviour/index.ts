export {
  type LabelledRows,
  type PropensityEvaluation,
  trainAndEvaluatePropensity,
} from "./train-and-evaluate.ts";
export {
  exportPropensityModel,
  majorityClassBaseline,
  PROPENSITY_DEFAULTS,
  type PropensityModel,
  type PropensityTrainingOptions,
  predictPropensity,
  predictPropensityWithOnnx,
  trainPropensity,
} from "./train-propensity.ts";
