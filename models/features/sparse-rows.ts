/**
 * A batch of sparse feature vectors in CSR form: row r's nonzeros are indices/values[offsets[r] ..
 * offsets[r+1]), indices sorted and unique. Hashed text features are built this way; trainers consume it;
 * `toDenseRows` gives the fixed-width [rows, dim] float32 batch an ONNX model takes.
 */
export interface SparseRows {
  rows: number;
  dim: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** One sparse vector (indices sorted and unique). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export function stackSparse(vectors: readonly SparseVector[], dim: number): SparseRows {
  const offsets = new Int32Array(vectors.length + 1);
  for (let r = 0; r < vectors.length; r++) {
    offsets[r + 1] = offsets[r]! + vectors[r]!.indices.length;
  }
  const nnz = offsets[vectors.length]!;
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  vectors.forEach((v, r) => {
    indices.set(v.indices, offsets[r]!);
    values.set(v.values, offsets[r]!);
  });
  return { rows: vectors.length, dim, offsets, indices, values };
}

/** Rows [from, to) as a dense row-major [to − from, dim] batch (zeros elsewhere). */
export function toDenseRows(m: SparseRows, from = 0, to = m.rows): Float32Array {
  const out = new Float32Array((to - from) * m.dim);
  for (let r = from; r < to; r++) {
    const base = (r - from) * m.dim;
    for (let t = m.offsets[r]!; t < m.offsets[r + 1]!; t++) {
      out[base + m.indices[t]!] = m.values[t]!;
    }
  }
  return out;
}

/** A dense row-major [rows, dim] matrix as SparseRows that keep every entry (zeros included). */
export function denseToSparseRows(dense: Float32Array, rows: number, dim: number): SparseRows {
  if (dense.length !== rows * dim) {
    throw new RangeError(`denseToSparseRows: ${dense.length} values for ${rows}×${dim}`);
  }
  const offsets = new Int32Array(rows + 1);
  const indices = new Int32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    offsets[r + 1] = (r + 1) * dim;
    for (let c = 0; c < dim; c++) {
      indices[r * dim + c] = c;
    }
  }
  return { rows, dim, offsets, indices, values: dense.slice() };
}

/**
 * Rows [from, to) as two row-major [to − from, width] arrays of feature indices and values, each row padded
 * with index 0 and value 0 up to the longest row's count (at least 1): the input of a sparse ONNX graph,
 * whose padding terms add w[0]·0 = 0.
 */
export function toPaddedRows(
  m: SparseRows,
  from = 0,
  to = m.rows,
): { indices: Int32Array; values: Float32Array; width: number } {
  let width = 1;
  for (let r = from; r < to; r++) {
    width = Math.max(width, m.offsets[r + 1]! - m.offsets[r]!);
  }
  const indices = new Int32Array((to - from) * width);
  const values = new Float32Array((to - from) * width);
  for (let r = from; r < to; r++) {
    const start = m.offsets[r]!;
    const end = m.offsets[r + 1]!;
    indices.set(m.indices.subarray(start, end), (r - from) * width);
    values.set(m.values.subarray(start, end), (r - from) * width);
  }
  return { indices, values, width };
}
