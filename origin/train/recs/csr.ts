/**
 * Compressed sparse rows: the user × item interaction matrix every recommender trains from. Row r's column
 * indices are indices[offsets[r] .. offsets[r+1]), sorted ascending and unique; values hold the summed
 * event weights (1 per event when the input has none), so a repeated interaction raises its confidence.
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Interactions as parallel columns (one entry per event), with dense 0-based user and item indices. */
export interface InteractionColumns {
  users: number;
  items: number;
  user: Int32Array;
  item: Int32Array;
  /** optional per-event weight (e.g. a rating or a dwell time); 1 when absent */
  value?: Float32Array;
}

/** Builds the CSR matrix, merging duplicate (user, item) pairs by summing their weights. */
export function buildCsr(input: InteractionColumns): CsrMatrix {
  const { users, items, user, item, value } = input;
  const n = user.length;
  if (item.length !== n || (value && value.length !== n)) {
    throw new Error(`buildCsr: columns differ in length (${n} users, ${item.length} items)`);
  }
  const counts = new Int32Array(users + 1);
  for (let e = 0; e < n; e++) {
    const u = user[e]!;
    const i = item[e]!;
    if (u < 0 || u >= users || i < 0 || i >= items) {
      throw new RangeError(`buildCsr: event ${e} has user ${u} / item ${i} outside ${users} × ${items}`);
    }
    counts[u + 1]!++;
  }
  for (let u = 0; u < users; u++) {
    counts[u + 1]! += counts[u]!;
  }
  const cursor = counts.slice(0, users);
  const rawItems = new Int32Array(n);
  const rawValues = new Float32Array(n);
  for (let e = 0; e < n; e++) {
    const slot = cursor[user[e]!]!++;
    rawItems[slot] = item[e]!;
    rawValues[slot] = value ? value[e]! : 1;
  }
  // Sort each row by item and merge duplicates; rows are short, so sort a per-row index permutation.
  const offsets = new Int32Array(users + 1);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  let out = 0;
  let order = new Int32Array(16);
  for (let u = 0; u < users; u++) {
    const start = counts[u]!;
    const end = counts[u + 1]!;
    const len = end - start;
    if (order.length < len) {
      order = new Int32Array(len * 2);
    }
    const view = order.subarray(0, len);
    for (let t = 0; t < len; t++) {
      view[t] = start + t;
    }
    view.sort((a, b) => rawItems[a]! - rawItems[b]!);
    let last = -1;
    for (let t = 0; t < len; t++) {
      const slot = view[t]!;
      const i = rawItems[slot]!;
      if (i === last) {
        values[out - 1]! += rawValues[slot]!;
      } else {
        indices[out] = i;
        values[out] = rawValues[slot]!;
        out++;
        last = i;
      }
    }
    offsets[u + 1] = out;
  }
  return { rows: users, cols: items, offsets, indices: indices.slice(0, out), values: values.slice(0, out) };
}

/** The transpose (item × user), rows again sorted. */
export function transposeCsr(m: CsrMatrix): CsrMatrix {
  const offsets = new Int32Array(m.cols + 1);
  for (let t = 0; t < m.indices.length; t++) {
    offsets[m.indices[t]! + 1]!++;
  }
  for (let c = 0; c < m.cols; c++) {
    offsets[c + 1]! += offsets[c]!;
  }
  const cursor = offsets.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.offsets[r]!; t < m.offsets[r + 1]!; t++) {
      const slot = cursor[m.indices[t]!]!++;
      indices[slot] = r;
      values[slot] = m.values[t]!;
    }
  }
  return { rows: m.cols, cols: m.rows, offsets, indices, values };
}

/** Number of stored entries in each column (an item's interaction count when rows are users). */
export function columnCounts(m: CsrMatrix): Int32Array {
  const counts = new Int32Array(m.cols);
  for (let t = 0; t < m.indices.length; t++) {
    counts[m.indices[t]!]!++;
  }
  return counts;
}

/** Row r's column indices as a view (no copy). */
export function rowIndices(m: CsrMatrix, r: number): Int32Array {
  return m.indices.subarray(m.offsets[r]!, m.offsets[r + 1]!);
}
