export {
  LOGISTIC_DEFAULTS,
  type LogisticModel,
  type LogisticRegressionOptions,
  predictLogistic,
  trainLogisticRegression,
} from "./logistic-regression.ts";
export {
  exportLogisticModel,
  exportSparseLogisticModel,
  predictSparseWithOnnx,
  predictWithOnnx,
} from "./onnx-classifier.ts";
export { pickLabels, selectRows, stratifiedSplit } from "./select-rows.ts";
export {
  type ClassifierCandidate,
  type ClassifierTrial,
  scaleColumns,
  trainLogisticWithValidation,
} from "./tune-classifier.ts";
