export {
  BEHAVIOUR_DEFAULTS,
  type BehaviourClassifier,
  type BehaviourLearner,
  type BehaviourModel,
  type BehaviourTrainingOptions,
  type BehaviourTrial,
  behaviourReleaseModel,
  exportBehaviourModel,
  majorityClassBaseline,
  predictBehaviour,
  predictBehaviourWithOnnx,
  servedQuantization,
  trainBehaviourModel,
} from "./behaviour-model.ts";
export { attributeLabel } from "./behaviour-target.ts";
export {
  type BehaviourEvaluation,
  type LabelledRows,
  trainAndEvaluateBehaviour,
} from "./train-and-evaluate.ts";
