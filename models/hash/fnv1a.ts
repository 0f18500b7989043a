/**
 * FNV-1a (32-bit) over the UTF-8 bytes of a string, and a bucket in [0, 1) derived from it. Chosen over
 * SHA-256 because it is synchronous (crypto.subtle.digest is async, and assignment sits on the request
 * path) and needs nothing but Math.imul and TextEncoder, so Node and workerd compute identical bits.
 * UTF-8 rather than UTF-16 code units so that any other client (a Python notebook, a SQL query) can
 * reproduce an assignment from the published algorithm.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a 32 of the UTF-8 encoding of `text`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  const bytes = utf8.encode(text);
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser. FNV-1a alone mixes its last bytes poorly into the high bits, and ids
 * such as `user-1`, `user-2` differ only there; the finaliser makes every input bit flip each output bit
 * with probability about one half, so a bucket taken from the high bits is close to uniform.
 */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform-looking number in [0, 1) for `text`: fmix32(fnv1a32(text)) / 2³². */
export function unitHash(text: string): number {
  return fmix32(fnv1a32(text)) / 4294967296;
}
