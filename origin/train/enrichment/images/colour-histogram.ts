/** Bins per Lab axis: L* over [0, 100], a* and b* over [-AB_RANGE, AB_RANGE] (beyond is clamped). */
export const L_BINS = 4;
export const AB_BINS = 6;
const AB_RANGE = 72;

export const COLOUR_HISTOGRAM_BINS = L_BINS * AB_BINS * AB_BINS;

function bin(value: number, min: number, max: number, bins: number): number {
  const at = Math.floor(((value - min) / (max - min)) * bins);
  return at < 0 ? 0 : at >= bins ? bins - 1 : at;
}

/**
 * The joint L*a*b* histogram of interleaved Lab pixels, as shares summing to 1. Lightness gets fewer bins
 * than the chroma axes: hue and saturation say more about a product than how it was lit.
 */
export function labHistogram(lab: Float32Array): Float32Array {
  const histogram = new Float32Array(COLOUR_HISTOGRAM_BINS);
  const pixels = lab.length / 3;
  for (let p = 0; p < pixels; p++) {
    const l = bin(lab[p * 3]!, 0, 100, L_BINS);
    const a = bin(lab[p * 3 + 1]!, -AB_RANGE, AB_RANGE, AB_BINS);
    const b = bin(lab[p * 3 + 2]!, -AB_RANGE, AB_RANGE, AB_BINS);
    histogram[(l * AB_BINS + a) * AB_BINS + b]! += 1;
  }
  if (pixels > 0) {
    for (let i = 0; i < histogram.length; i++) {
      histogram[i]! /= pixels;
    }
  }
  return histogram;
}
