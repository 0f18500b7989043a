/** A user's seen items as delta-encoded catalogue indices: written by the origin, read by the edge. */
export { decodeSeenIndices, encodeSeenIndices, SeenIndicesError } from "./seen-indices.ts";
