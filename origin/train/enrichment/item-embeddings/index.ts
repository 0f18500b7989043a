export { type FusedVectors, fuseVectors, type VectorPart } from "./fuse-vectors.ts";
export {
  ITEM2VEC_DEFAULTS,
  type Item2vecOptions,
  type ItemSequences,
  sequencesByUser,
  trainItem2vec,
} from "./item2vec.ts";
