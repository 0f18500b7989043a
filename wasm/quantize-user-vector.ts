/**
 * Symmetric int8 quantization of a float32 user vector for the top-k kernel, with the same scale and
 * rounding as the item tables (models/onnx/quantize.ts): s = max|v| / 127 in float32, q = round(v / s)
 * clamped to ±127. Writing into a caller's buffer lets the request path quantize without allocating.
 */
import { INT8_MAX, symmetricScale } from "../models/onnx/quantize.ts";

export interface QuantizedUserVector {
  values: Int8Array;
  /** float32-exact, so the kernel's f32 parameter receives it unchanged. */
  scale: number;
}

export function quantizeUserVector(
  vector: Float32Array,
  out: Int8Array = new Int8Array(vector.length),
): QuantizedUserVector {
  if (out.length !== vector.length) {
    throw new RangeError(`output has ${out.length} values, the vector ${vector.length}`);
  }
  let maxAbs = 0;
  for (let i = 0; i < vector.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(vector[i]!));
  }
  const scale = symmetricScale(maxAbs);
  for (let i = 0; i < vector.length; i++) {
    out[i] = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(vector[i]! / scale)));
  }
  return { values: out, scale };
}
