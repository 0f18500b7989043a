/**
 * A user's seen items as catalogue indices, compact enough to keep every one in the user's record: the
 * indices sorted ascending, each stored as its gap to the previous one minus 1 (the first as itself) in
 * unsigned LEB128 varints, and the bytes in base64. A user who saw 2,000 of 10,000 items averages a gap
 * of 5, so most indices take one byte (about 1.4 characters of base64) instead of an id string. Exact, so
 * no item is left out by a false positive, as a Bloom filter would.
 *
 * The origin encodes, the edge decodes straight into the kernel's sorted `excluded` rule; both import
 * this file. The decoder trusts nothing: bad base64, a truncated or oversized varint, an index past the
 * catalogue or a count that differs from the record's throw a SeenIndicesError.
 */
import { bytesToBase64 } from "../base64.ts";

export class SeenIndicesError extends Error {
  override name = "SeenIndicesError";
}

/** A uint32 takes at most 5 varint bytes (7 bits each). */
const MAX_VARINT_BYTES = 5;
const UINT32_MAX = 0xffff_ffff;

/** Encodes strictly ascending uint32 indices; anything else is refused (the gaps would be negative). */
export function encodeSeenIndices(sorted: ArrayLike<number>): string {
  const bytes = new Uint8Array(sorted.length * MAX_VARINT_BYTES);
  let at = 0;
  let previous = -1;
  for (let i = 0; i < sorted.length; i++) {
    const index = sorted[i]!;
    if (!Number.isInteger(index) || index <= previous || index > UINT32_MAX) {
      throw new SeenIndicesError(
        `cannot encode seen indices: ${index} at position ${i} is not a uint32 above ${previous}`,
      );
    }
    // Gaps are at least 1 between distinct sorted indices, so storing gap − 1 puts more of them in a byte.
    let gap = index - previous - 1;
    while (gap >= 0x80) {
      bytes[at++] = (gap & 0x7f) | 0x80;
      gap = Math.floor(gap / 0x80);
    }
    bytes[at++] = gap;
    previous = index;
  }
  return bytesToBase64(bytes.subarray(0, at));
}

function binaryOf(encoded: string): string {
  try {
    return atob(encoded);
  } catch {
    throw new SeenIndicesError("seen indices are not valid base64");
  }
}

/**
 * The `count` indices that `encoded` holds, ascending, each below `items` (the catalogue's item count);
 * throws a SeenIndicesError when the text is not exactly that.
 */
export function decodeSeenIndices(encoded: string, count: number, items: number): Uint32Array {
  const binary = binaryOf(encoded);
  if (!Number.isInteger(count) || count < 0 || count > binary.length) {
    // Every index takes at least one byte, so a count past the byte length cannot be right.
    throw new SeenIndicesError(`seen indices: ${binary.length} bytes cannot hold ${count} indices`);
  }
  const out = new Uint32Array(count);
  let at = 0;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    let gap = 0;
    let scale = 1;
    for (let b = 0; ; b++) {
      if (at >= binary.length) {
        throw new SeenIndicesError(`seen indices end inside index ${i} of ${count}`);
      }
      if (b === MAX_VARINT_BYTES) {
        throw new SeenIndicesError(`seen index ${i} runs past ${MAX_VARINT_BYTES} varint bytes`);
      }
      const byte = binary.charCodeAt(at++);
      gap += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (byte < 0x80) {
        break;
      }
    }
    const index = previous + 1 + gap;
    if (index >= items || index > UINT32_MAX) {
      throw new SeenIndicesError(`seen index ${index} is past the catalogue's ${items} items`);
    }
    out[i] = index;
    previous = index;
  }
  if (at !== binary.length) {
    throw new SeenIndicesError(`seen indices hold ${binary.length - at} bytes past their ${count} indices`);
  }
  return out;
}
