/**
 * models/features: feature encoding shared by the origin's trainers and the edge (no Node APIs).
 */
export {
  denseToSparseRows,
  type SparseRows,
  type SparseVector,
  stackSparse,
  toDenseRows,
  toPaddedRows,
} from "./sparse-rows.ts";
export {
  CategoricalColumn,
  encodedFeatureNames,
  encodedWidth,
  encodeRowInto,
  encodeRows,
  fitTabularEncoder,
  NumericColumn,
  TabularColumn,
  TabularEncoderSpec,
  type TabularRow,
  type TabularValue,
} from "./tabular-encoder.ts";
export { tabularRowProblem } from "./tabular-row-check.ts";
