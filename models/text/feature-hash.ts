/**
 * MurmurHash3 (x86, 32-bit) over UTF-16 code units, with a seed per feature family so a word and a
 * character n-gram that spell the same never share a bucket by construction. Math.imul keeps every step in
 * 32-bit integer arithmetic, so Node and workerd give bit-identical hashes.
 */
import { fmix32 } from "../hash/index.ts";

function mixBlock(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  const mixed = h ^ x;
  return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
}

/** murmur3's last step: the length mixed in, then its 32-bit finaliser (the one experiment buckets use). */
function finish(h: number, lengthBytes: number): number {
  return fmix32(h ^ lengthBytes);
}

/** The hash of codes[start, end): two code units per 32-bit block, as murmur3 reads a string. */
export function murmur3Codes(codes: Uint16Array, start: number, end: number, seed: number): number {
  let h = seed >>> 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    h = mixBlock(h, codes[i]! | (codes[i + 1]! << 16));
  }
  if (i < end) {
    let k = Math.imul(codes[i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  return finish(h, (end - start) * 2);
}

let scratch = new Uint16Array(64);

/** MurmurHash3 of a string's UTF-16 code units. */
export function murmur3(text: string, seed: number): number {
  if (scratch.length < text.length) {
    scratch = new Uint16Array(text.length * 2);
  }
  for (let i = 0; i < text.length; i++) {
    scratch[i] = text.charCodeAt(i);
  }
  return murmur3Codes(scratch, 0, text.length, seed);
}

/** MurmurHash3 of two 32-bit words: the hash of a pair of hashes (a word bigram, a marked word). */
export function hashPair(a: number, b: number, seed: number): number {
  return finish(mixBlock(mixBlock(seed >>> 0, a), b), 8);
}
