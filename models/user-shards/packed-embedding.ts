/**
 * A user embedding stored as int8 with one float32 scale, base64: 64 factors take 88 characters instead of
 * about 1,200 as JSON floats. The edge quantizes the user vector for its int8 kernel with the same scale and
 * rounding (wasm/quantize-user-vector.ts), and quantizing the dequantized values gives back the same int8
 * values and scale, so the kernel scores exactly what it scored from the floats.
 */
import { z } from "zod";
import { INT8_MAX, symmetricScale } from "../onnx/quantize.ts";

export const PackedEmbedding = z.object({
  /** Only when it differs from the shard's common model and version. */
  model: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  int8: z.string().min(1),
  scale: z.number().positive(),
});
export type PackedEmbedding = z.infer<typeof PackedEmbedding>;

export function packEmbeddingValues(values: readonly number[]): { int8: string; scale: number } {
  let maxAbs = 0;
  for (const value of values) {
    maxAbs = Math.max(maxAbs, Math.abs(Math.fround(value)));
  }
  const scale = symmetricScale(maxAbs);
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(Math.fround(values[i]!) / scale)));
  }
  return { int8: base64(new Uint8Array(q.buffer)), scale };
}

/** The floats the edge serves: q · scale for each stored int8 value. */
export function unpackEmbeddingValues(packed: { int8: string; scale: number }): number[] {
  const binary = atob(packed.int8);
  const values = new Array<number>(binary.length);
  for (let i = 0; i < binary.length; i++) {
    const byte = binary.charCodeAt(i);
    values[i] = (byte > INT8_MAX ? byte - 256 : byte) * packed.scale;
  }
  return values;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding, what atob reads. Node's btoa is about 20 times slower on short inputs. */
function base64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    const third = rest === 2 ? ALPHABET[(n >> 6) & 63]! : "=";
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${third}=`;
  }
  return out;
}
