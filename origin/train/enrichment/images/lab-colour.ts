/**
 * sRGB (8-bit, D65) to CIELAB, where Euclidean distance tracks perceived colour difference far better than in
 * RGB: histograms and k-means over Lab group colours the way people see them.
 */
const LINEAR = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

// D65 reference white
const XN = 0.95047;
const ZN = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function f(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/** [pixels × 3] interleaved RGB bytes to [pixels × 3] interleaved L*, a*, b* (L* in [0, 100]). */
export function rgbToLab(rgb: Uint8Array): Float32Array {
  const pixels = Math.floor(rgb.length / 3);
  const lab = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const r = LINEAR[rgb[p * 3]!]!;
    const g = LINEAR[rgb[p * 3 + 1]!]!;
    const b = LINEAR[rgb[p * 3 + 2]!]!;
    const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN;
    const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
    const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / ZN;
    const fx = f(x);
    const fy = f(y);
    const fz = f(z);
    lab[p * 3] = 116 * fy - 16;
    lab[p * 3 + 1] = 500 * (fx - fy);
    lab[p * 3 + 2] = 200 * (fy - fz);
  }
  return lab;
}
