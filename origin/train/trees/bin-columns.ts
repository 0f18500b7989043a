/**
 * Histogram binning for gradient boosting: each column's values are cut into at most `maxBins` bins at
 * quantiles of the training values, and a row keeps only its bin number (one byte). A split "bin ≤ b" is
 * then "x ≤ edges[b]", with edges[b] the largest training value in bin b, a float32 as the model compares
 * it. Histograms over bins make finding a split cost O(rows + bins) per column instead of a sort.
 */

export interface BinnedColumns {
  rows: number;
  cols: number;
  /** Row-major [rows, cols] bin numbers. */
  bins: Uint8Array;
  /** Per column, the upper edge (inclusive) of every bin but the last. */
  edges: Float32Array[];
}

/** Quantile edges per column of x [rows, cols] (row-major), at most maxBins ≤ 256 bins each. */
export function fitBinEdges(x: Float32Array, rows: number, cols: number, maxBins: number): Float32Array[] {
  if (maxBins < 2 || maxBins > 256) {
    throw new RangeError(`maxBins must be in [2, 256], got ${maxBins}`);
  }
  const column = new Float32Array(rows);
  return Array.from({ length: cols }, (_, c) => {
    for (let r = 0; r < rows; r++) {
      column[r] = x[r * cols + c]!;
    }
    const sorted = column.slice().sort();
    const distinct: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (!Number.isNaN(sorted[i]!) && (i === 0 || sorted[i] !== sorted[i - 1])) {
        distinct.push(sorted[i]!);
      }
    }
    if (distinct.length <= maxBins) {
      return Float32Array.from(distinct.slice(0, -1));
    }
    // Cut at quantiles of the rows (not of the distinct values), so each bin holds about as many rows.
    const edges: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const value = sorted[Math.min(rows - 1, Math.floor((b * rows) / maxBins))]!;
      if (edges.length === 0 || value > edges[edges.length - 1]!) {
        edges.push(value);
      }
    }
    if (edges[edges.length - 1] === distinct[distinct.length - 1]) {
      edges.pop();
    }
    return Float32Array.from(edges);
  });
}

/** The bin of a value: the first edge it does not exceed (NaN goes to the last bin, as it goes right). */
function binOf(edges: Float32Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= edges[mid]!) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return Number.isNaN(value) ? edges.length : lo;
}

export function binColumns(
  x: Float32Array,
  rows: number,
  cols: number,
  edges: Float32Array[],
): BinnedColumns {
  const bins = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      bins[r * cols + c] = binOf(edges[c]!, x[r * cols + c]!);
    }
  }
  return { rows, cols, bins, edges };
}
