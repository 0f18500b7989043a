/** Float64 arrays as base64 of their little-endian bytes: exact, and a third smaller than decimal JSON. */
import { bytesToBase64 } from "../base64.ts";

export function float64ToBase64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    view.setFloat64(i * 8, values[i]!, true);
  }
  return bytesToBase64(bytes);
}

export function float64FromBase64(text: string, length: number): Float64Array {
  const binary = atob(text);
  if (binary.length !== length * 8) {
    throw new Error(`expected ${length} float64 values (${length * 8} bytes), got ${binary.length} bytes`);
  }
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) {
    view.setUint8(i, binary.charCodeAt(i));
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = view.getFloat64(i * 8, true);
  }
  return out;
}
