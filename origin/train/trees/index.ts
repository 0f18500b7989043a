/** origin/train/trees: gradient-boosted decision trees over binned features (histogram GBDT). */
export { type BinnedColumns, binColumns, fitBinEdges } from "./bin-columns.ts";
export {
  type DenseRows,
  GBDT_DEFAULTS,
  type GbdtModel,
  type GbdtOptions,
  predictGbdt,
  trainGbdt,
} from "./gbdt.ts";
