/**
 * Symmetric int8 weight quantization: w ≈ q · s with q in [-127, 127] and no zero point.
 *
 * Why symmetric: weights are centred on zero, ONNX DequantizeLinear with a zero point of 0 is then a single
 * multiply, and skipping -128 keeps the grid symmetric so the sign of a weight never biases its magnitude.
 * Why a scale per output channel for MatMul weights: output columns differ in range by an order of magnitude
 * after training, and a per-tensor scale would spend most of the 8 bits on the widest column.
 *
 * Error bound (what tests and evaluation rely on): with s = max|w| / 127 over the group that shares the scale,
 * every |w / s| ≤ 127, so rounding to the nearest integer moves each weight by at most s/2:
 *     |w − q·s| ≤ s/2   (plus float32 rounding of the product q·s, ≤ 2⁻²⁴·|q·s|).
 * A dot product of x with a quantized column therefore moves by at most Σᵢ|xᵢ|·s/2.
 *
 * Dequantization here multiplies in float32 exactly as DequantizeLinear does (an int8 times a float32 is exact
 * in float64, so Math.fround of the product is the IEEE float32 product), so the TypeScript reference and ORT
 * see bit-identical dequantized weights.
 */

export const INT8_MAX = 127;

/** A [rows, cols] row-major int8 matrix with one scale per column (per output channel of a MatMul). */
export interface PerColumnQuantized {
  data: Int8Array;
  scales: Float32Array;
}

/** An int8 tensor sharing one scale. */
export interface PerTensorQuantized {
  data: Int8Array;
  scale: number;
}

/** A [rows, cols] row-major int8 table with one scale per row (per item of an embedding table). */
export interface PerRowQuantized {
  data: Int8Array;
  scales: Float32Array;
}

/** The float32 scale for a group whose largest magnitude is maxAbs; an all-zero group gets 1 (q is 0 anyway). */
export function symmetricScale(maxAbs: number): number {
  return maxAbs > 0 ? Math.fround(maxAbs / INT8_MAX) : 1;
}

function quantizeValue(value: number, scale: number): number {
  // Clamp guards against maxAbs/127 rounding down in float32 so that |w/s| is a hair over 127.
  return Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(value / scale)));
}

/** Per-column quantization of a [rows, cols] row-major weight matrix (ONNX MatMul's [in, out] layout). */
export function quantizePerColumn(weights: Float32Array, rows: number, cols: number): PerColumnQuantized {
  checkSize(weights, rows, cols);
  const maxAbs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(weights[r * cols + c]!));
    }
  }
  const scales = Float32Array.from(maxAbs, symmetricScale);
  const data = new Int8Array(weights.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      data[r * cols + c] = quantizeValue(weights[r * cols + c]!, scales[c]!);
    }
  }
  return { data, scales };
}

/** Per-row quantization of a [rows, cols] row-major table: one scale per embedding row. */
export function quantizePerRow(table: Float32Array, rows: number, cols: number): PerRowQuantized {
  checkSize(table, rows, cols);
  const scales = new Float32Array(rows);
  const data = new Int8Array(table.length);
  for (let r = 0; r < rows; r++) {
    const row = table.subarray(r * cols, (r + 1) * cols);
    const scale = symmetricScale(maxAbsOf(row));
    scales[r] = scale;
    for (let c = 0; c < cols; c++) {
      data[r * cols + c] = quantizeValue(row[c]!, scale);
    }
  }
  return { data, scales };
}

/** One scale for the whole tensor (what a Gather → DequantizeLinear pair can apply without extra nodes). */
export function quantizePerTensor(values: Float32Array): PerTensorQuantized {
  const scale = symmetricScale(maxAbsOf(values));
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    data[i] = quantizeValue(values[i]!, scale);
  }
  return { data, scale };
}

export function dequantizePerColumn(q: PerColumnQuantized, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = q.data[r * cols + c]! * q.scales[c]!;
    }
  }
  return out;
}

export function dequantizePerRow(q: PerRowQuantized, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = q.data[r * cols + c]! * q.scales[r]!;
    }
  }
  return out;
}

export function dequantizePerTensor(q: PerTensorQuantized): Float32Array {
  // Float32Array.from rounds each float64 product to float32, matching DequantizeLinear.
  return Float32Array.from(q.data, (v) => v * q.scale);
}

function maxAbsOf(values: Float32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    max = Math.max(max, Math.abs(values[i]!));
  }
  return max;
}

function checkSize(values: Float32Array, rows: number, cols: number): void {
  if (values.length !== rows * cols) {
    throw new RangeError(`expected ${rows}×${cols} = ${rows * cols} values, got ${values.length}`);
  }
}
