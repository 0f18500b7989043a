import { mulberry32 } from "../../../../models/random.ts";

export interface DominantColours {
  /** [k × 3] Lab centres, the largest cluster first */
  centres: Float32Array;
  /** [k] share of the pixels in each cluster, summing to 1 */
  weights: Float32Array;
}

/**
 * The k dominant colours of interleaved Lab pixels: k-means in Lab (k-means++ seeding from a fixed seed, so
 * the same image always gives the same colours), ordered by cluster size. Fewer distinct pixels than k
 * leave the extra clusters empty with weight 0.
 */
export function dominantColours(lab: Float32Array, k = 4, iterations = 12, seed = 7): DominantColours {
  const pixels = lab.length / 3;
  const centres = new Float32Array(k * 3);
  const counts = new Float64Array(k);
  if (pixels === 0) {
    return { centres, weights: new Float32Array(k) };
  }
  const rng = mulberry32(seed);
  const distance = new Float64Array(pixels).fill(Number.POSITIVE_INFINITY);
  const sq = (p: number, c: number) => {
    const dl = lab[p * 3]! - centres[c * 3]!;
    const da = lab[p * 3 + 1]! - centres[c * 3 + 1]!;
    const db = lab[p * 3 + 2]! - centres[c * 3 + 2]!;
    return dl * dl + da * da + db * db;
  };
  let seeded = 0;
  let next = Math.floor(rng() * pixels);
  while (seeded < k) {
    centres.set(lab.subarray(next * 3, next * 3 + 3), seeded * 3);
    seeded++;
    let total = 0;
    for (let p = 0; p < pixels; p++) {
      distance[p] = Math.min(distance[p]!, sq(p, seeded - 1));
      total += distance[p]!;
    }
    if (total === 0) {
      break; // every pixel sits on a centre already
    }
    let target = rng() * total;
    for (next = 0; next < pixels - 1 && target >= distance[next]!; next++) {
      target -= distance[next]!;
    }
  }
  const assignment = new Int32Array(pixels);
  const sums = new Float64Array(k * 3);
  for (let iteration = 0; iteration < iterations; iteration++) {
    sums.fill(0);
    counts.fill(0);
    for (let p = 0; p < pixels; p++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < seeded; c++) {
        const d = sq(p, c);
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      assignment[p] = best;
      counts[best]! += 1;
      sums[best * 3]! += lab[p * 3]!;
      sums[best * 3 + 1]! += lab[p * 3 + 1]!;
      sums[best * 3 + 2]! += lab[p * 3 + 2]!;
    }
    for (let c = 0; c < seeded; c++) {
      if (counts[c]! > 0) {
        for (let j = 0; j < 3; j++) {
          centres[c * 3 + j] = sums[c * 3 + j]! / counts[c]!;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, c) => c).sort((x, y) => counts[y]! - counts[x]!);
  const sorted: DominantColours = { centres: new Float32Array(k * 3), weights: new Float32Array(k) };
  order.forEach((c, rank) => {
    sorted.centres.set(centres.subarray(c * 3, c * 3 + 3), rank * 3);
    sorted.weights[rank] = counts[c]! / pixels;
  });
  return sorted;
}
