/** One source of item (or user) vectors in a fused vector: [rows × dim] row-major and its share. */
export interface VectorPart {
  name: string;
  vectors: Float32Array;
  dim: number;
  /** share of the fused cosine this part contributes; the parts' weights should sum to 1 */
  weight: number;
}

export interface FusedVectors {
  vectors: Float32Array;
  dim: number;
  /** what went in, in order, for the manifest: name, width and weight of each block */
  parts: { name: string; dim: number; weight: number }[];
}

/**
 * One vector per row from several sources (TF-IDF content mapped to MF, item2vec, image features, …): each
 * part's row L2-normalised and scaled by √weight, then concatenated, so the dot product of two fused rows
 * is the weighted sum of the parts' cosines. A part whose row is all zero (an item without an image, say)
 * stays zero and simply adds nothing.
 */
export function fuseVectors(parts: readonly VectorPart[], rows: number): FusedVectors {
  for (const part of parts) {
    if (part.vectors.length !== rows * part.dim) {
      throw new RangeError(
        `fuseVectors: part ${part.name} has ${part.vectors.length} values for ${rows} × ${part.dim}`,
      );
    }
    if (!(part.weight >= 0)) {
      throw new RangeError(`fuseVectors: part ${part.name} has weight ${part.weight}`);
    }
  }
  const dim = parts.reduce((sum, part) => sum + part.dim, 0);
  const vectors = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let offset = r * dim;
    for (const part of parts) {
      const row = part.vectors.subarray(r * part.dim, (r + 1) * part.dim);
      let norm = 0;
      for (const v of row) {
        norm += v * v;
      }
      if (norm > 0) {
        const scale = Math.sqrt(part.weight / norm);
        for (let d = 0; d < part.dim; d++) {
          vectors[offset + d] = row[d]! * scale;
        }
      }
      offset += part.dim;
    }
  }
  return { vectors, dim, parts: parts.map(({ name, dim, weight }) => ({ name, dim, weight })) };
}
