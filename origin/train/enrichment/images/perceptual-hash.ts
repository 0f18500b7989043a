/** pHash works on a 32 × 32 grey image and keeps the 8 × 8 lowest frequencies of its DCT. */
export const PHASH_SIZE = 32;
const KEPT = 8;

const COSINES = (() => {
  const table = new Float64Array(KEPT * PHASH_SIZE);
  for (let u = 0; u < KEPT; u++) {
    for (let x = 0; x < PHASH_SIZE; x++) {
      table[u * PHASH_SIZE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_SIZE));
    }
  }
  return table;
})();

/**
 * The 64-bit DCT perceptual hash of a 32 × 32 grey image: bit i is set when the i-th of the 8 × 8 lowest
 * DCT-II coefficients (row-major, DC first) exceeds their median (the DC term excluded from the median, as
 * it only says how bright the image is). Resizing, re-encoding and mild colour changes move few bits;
 * different images differ in about half. Returned as 16 hex digits. A picture symmetric about its centre has
 * its odd-frequency coefficients near zero, around the median, so noise flips those bits: pHash is weakest
 * on such synthetic images and strongest on photographs.
 */
export function perceptualHash(grey: Float32Array): string {
  if (grey.length !== PHASH_SIZE * PHASH_SIZE) {
    throw new Error(`perceptualHash needs a ${PHASH_SIZE}×${PHASH_SIZE} image, got ${grey.length} pixels`);
  }
  // separable DCT: rows first (only the KEPT lowest frequencies), then columns
  const rows = new Float64Array(PHASH_SIZE * KEPT);
  for (let y = 0; y < PHASH_SIZE; y++) {
    for (let u = 0; u < KEPT; u++) {
      let sum = 0;
      for (let x = 0; x < PHASH_SIZE; x++) {
        sum += grey[y * PHASH_SIZE + x]! * COSINES[u * PHASH_SIZE + x]!;
      }
      rows[y * KEPT + u] = sum;
    }
  }
  const coefficients = new Float64Array(KEPT * KEPT);
  for (let v = 0; v < KEPT; v++) {
    for (let u = 0; u < KEPT; u++) {
      let sum = 0;
      for (let y = 0; y < PHASH_SIZE; y++) {
        sum += rows[y * KEPT + u]! * COSINES[v * PHASH_SIZE + y]!;
      }
      coefficients[v * KEPT + u] = sum;
    }
  }
  const median = Array.from(coefficients.subarray(1)).sort((a, b) => a - b)[(KEPT * KEPT - 1) >> 1]!;
  let hash = 0n;
  for (let i = 0; i < KEPT * KEPT; i++) {
    hash = (hash << 1n) | (coefficients[i]! > median ? 1n : 0n);
  }
  return hash.toString(16).padStart(16, "0");
}

/** Bits in which two perceptual hashes differ (0–64); near-duplicates are within about 10. */
export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}
