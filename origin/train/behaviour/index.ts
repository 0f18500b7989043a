export {
  BEHAVIOUR_DEFAULTS,
  type BehaviourModel,
  type BehaviourTrainingOptions,
  exportBehaviourModel,
  majorityClassBaseline,
  predictBehaviour,
  predictBehaviourWithOnnx,
  trainBehaviourModel,
} from "./behaviour-model.ts";
export {
  type BehaviourEvaluation,
  type LabelledRows,
  trainAndEvaluateBehaviour,
} from "./train-and-evaluate.ts";
