/** Order statistics for benchmark samples (milliseconds or any unit). */

/** The q-quantile (0..1) by nearest rank on a sorted copy. */
export function quantile(samples: ArrayLike<number>, q: number): number {
  if (samples.length === 0) {
    throw new RangeError("no samples");
  }
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(samples: ArrayLike<number>): number {
  return quantile(samples, 0.5);
}

/** Runs `fn` `iterations` times per sample and returns per-call times in ms, one per sample. */
export async function timePerCall(
  fn: () => unknown,
  options: { samples: number; iterations: number },
): Promise<Float64Array> {
  const times = new Float64Array(options.samples);
  for (let s = 0; s < options.samples; s++) {
    const start = performance.now();
    for (let i = 0; i < options.iterations; i++) {
      await fn();
    }
    times[s] = (performance.now() - start) / options.iterations;
  }
  return times;
}

export function formatMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}
