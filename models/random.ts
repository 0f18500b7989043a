/**
 * Seeded pseudo-random numbers, so fixtures, demo models and tests are identical on every run and in both
 * runtimes (Math.random cannot be seeded). mulberry32 is tiny, fast and good enough for weights and test
 * inputs; it is not for anything security-related.
 */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a 32-bit state generator (Tommy Ettinger's constants). Same seed, same sequence, everywhere. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` floats drawn uniformly from [min, max). */
export function randomUniformArray(rng: Rng, length: number, min = -1, max = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = min + (max - min) * rng();
  }
  return out;
}

/** `length` floats from a normal distribution N(0, std²) by Box–Muller (weights are initialised this way). */
export function randomNormalArray(rng: Rng, length: number, std = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    // 1 - rng() is in (0, 1], so the log is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - rng())) * std;
    const angle = 2 * Math.PI * rng();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < length) {
      out[i + 1] = radius * Math.sin(angle);
    }
  }
  return out;
}

/** `length` integers drawn uniformly from [0, max), as int64 (the dtype ONNX Gather indices use here). */
export function randomIndexArray(rng: Rng, length: number, max: number): BigInt64Array {
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = BigInt(Math.floor(rng() * max));
  }
  return out;
}

/** Shuffles `values` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T>(values: T[], rng: Rng): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}
