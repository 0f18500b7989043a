export const MAGNITUDE_BINS = 8;
export const ORIENTATION_BINS = 8;
/** magnitude bins, orientation bins, then mean gradient magnitude and edge density */
export const TEXTURE_DIM = MAGNITUDE_BINS + ORIENTATION_BINS + 2;

/** Sobel magnitude (on 0–1 grey) that counts as an edge; also the top of the magnitude histogram's log scale. */
const EDGE_THRESHOLD = 0.25;
const MAX_MAGNITUDE = 4;

/**
 * Texture and edge statistics of a [height × width] grey image (values in [0, 1]) from its Sobel gradients:
 * a histogram of gradient magnitudes on a log scale (smooth surfaces, fine texture, hard edges), a histogram
 * of edge orientations weighted by magnitude (stripes, grids, round shapes: unsigned, over [0, π)), the mean
 * magnitude and the share of edge pixels. Histograms are shares summing to 1 (all zero for a flat image).
 */
export function edgeTexture(grey: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(TEXTURE_DIM);
  const at = (x: number, y: number) => grey[y * width + x]!;
  let interior = 0;
  let magnitudeSum = 0;
  let edges = 0;
  let orientationTotal = 0;
  const logMax = Math.log1p(MAX_MAGNITUDE / 0.01);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const gx =
        at(x + 1, y - 1) +
        2 * at(x + 1, y) +
        at(x + 1, y + 1) -
        at(x - 1, y - 1) -
        2 * at(x - 1, y) -
        at(x - 1, y + 1);
      const gy =
        at(x - 1, y + 1) +
        2 * at(x, y + 1) +
        at(x + 1, y + 1) -
        at(x - 1, y - 1) -
        2 * at(x, y - 1) -
        at(x + 1, y - 1);
      const magnitude = Math.hypot(gx, gy);
      interior++;
      magnitudeSum += magnitude;
      const level = Math.log1p(magnitude / 0.01) / logMax;
      out[Math.min(MAGNITUDE_BINS - 1, Math.floor(level * MAGNITUDE_BINS))]! += 1;
      if (magnitude >= EDGE_THRESHOLD) {
        edges++;
        // unsigned: a dark-to-light edge and a light-to-dark one at the same angle are the same edge
        let angle = Math.atan2(gy, gx);
        if (angle < 0) {
          angle += Math.PI;
        }
        if (angle >= Math.PI) {
          angle -= Math.PI;
        }
        const slot = Math.min(ORIENTATION_BINS - 1, Math.floor((angle / Math.PI) * ORIENTATION_BINS));
        out[MAGNITUDE_BINS + slot]! += magnitude;
        orientationTotal += magnitude;
      }
    }
  }
  if (interior === 0) {
    return out;
  }
  for (let i = 0; i < MAGNITUDE_BINS; i++) {
    out[i]! /= interior;
  }
  for (let i = 0; i < ORIENTATION_BINS && orientationTotal > 0; i++) {
    out[MAGNITUDE_BINS + i]! /= orientationTotal;
  }
  out[MAGNITUDE_BINS + ORIENTATION_BINS] = magnitudeSum / interior / MAX_MAGNITUDE;
  out[MAGNITUDE_BINS + ORIENTATION_BINS + 1] = edges / interior;
  return out;
}
