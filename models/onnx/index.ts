/**
 * models/onnx: ONNX graph building, int8 quantization and reference forward passes, shared by the origin's
 * trainers and the edge. Runs unchanged in Node and workerd (no Node APIs).
 */

export {
  buildConvImageEncoder,
  type ConvImageEncoderOptions,
  type ConvLayer,
  IMAGE_ENCODER_INPUT,
  IMAGE_ENCODER_OUTPUT,
} from "./conv-image-encoder.ts";
export { convImageEncoderForward } from "./conv-reference.ts";
export {
  buildDemoModels,
  DEMO_BEHAVIOUR,
  DEMO_ITEM_SCORER,
  DEMO_MODEL_VERSION,
  type DemoModel,
  type DemoModels,
} from "./demo-models.ts";
export { addDenseLayer, type DenseLayer } from "./dense-layer.ts";
export {
  buildEmbeddingScorer,
  EMBEDDING_ITEMS_INPUT,
  EMBEDDING_OUTPUT,
  EMBEDDING_USER_INPUT,
  type EmbeddingScorerOptions,
  type TableScaleGranularity,
} from "./embedding-scorer.ts";
export {
  type AttributeValue,
  ELEMENT_TYPE,
  GraphBuilder,
  IR_VERSION,
  type ModelMetadata,
  OPSET_VERSION,
  PRODUCER_NAME,
  serializeModel,
} from "./graph-builder.ts";
export {
  buildLinearClassifier,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  type LinearClassifierOptions,
} from "./linear-classifier.ts";
export { buildMlpScorer, MLP_INPUT, MLP_OUTPUT, type MlpScorerOptions } from "./mlp-scorer.ts";
export type { BuiltModel, Dim, ModelIo, ModelKind, Quantization, TensorDtype, TensorIo } from "./model-io.ts";
export { NATIVE_PARITY_SESSION_OPTIONS } from "./native-parity-options.ts";
export {
  dequantizePerColumn,
  dequantizePerRow,
  dequantizePerTensor,
  INT8_MAX,
  type PerColumnQuantized,
  type PerRowQuantized,
  type PerTensorQuantized,
  quantizePerColumn,
  quantizePerRow,
  quantizePerTensor,
  symmetricScale,
} from "./quantize.ts";
export {
  type BatchForward,
  createEmbeddingReference,
  createLinearClassifierReference,
  createMlpReference,
  createSparseLinearReference,
  denseForward,
  type EmbeddingForward,
  effectiveItemTable,
  effectiveWeights,
  reluInPlace,
  sigmoidInPlace,
  softmaxRowsInPlace,
} from "./reference.ts";
export {
  buildSparseLinearClassifier,
  SPARSE_CLASSIFIER_OUTPUT,
  SPARSE_INDICES_INPUT,
  SPARSE_VALUES_INPUT,
  type SparseLinearClassifierOptions,
} from "./sparse-linear-classifier.ts";
export {
  type BinaryTree,
  buildTreeEnsembleClassifier,
  createTreeEnsembleReference,
  effectiveLeafValues,
  ML_DOMAIN,
  TREE_INPUT,
  TREE_OUTPUT,
  type TreeEnsembleOptions,
  treeLeaf,
} from "./tree-ensemble-classifier.ts";
