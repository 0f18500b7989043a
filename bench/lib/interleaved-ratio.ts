/**
 * Requests/s of one load as a share of another's, in the same server, interleaved finely: each round runs
 * the two loads in alternating blocks (BLOCKS of each, the order flipping every pair), so the shared
 * machine's slow seconds hit both alike, and a round's ratio is the subject's requests/s over all its blocks
 * divided by the baseline's. The figure is the median of the rounds' ratios.
 */
import { type LoadResult, runLoad } from "./http-load.ts";
import { cpuSeconds } from "./processes.ts";
import { median } from "./stats.ts";

export type LoadOptions = Parameters<typeof runLoad>[0];

/** Blocks per load per round: enough that neither load gets a quiet or busy stretch to itself. */
const BLOCKS = 10;

export interface InterleavedRound {
  subjectRps: number;
  baselineRps: number;
  ratio: number;
  /** The server's CPU time per request (µs), when its pid was given: far less sensitive to other processes. */
  subjectCpuMicros?: number;
  baselineCpuMicros?: number;
}

export interface InterleavedRatio {
  /** Median over rounds of subject req/s ÷ baseline req/s. */
  ratio: number;
  rounds: InterleavedRound[];
  /** Every subject block's result (its Server-Timing spans, latencies). */
  subjectLoads: LoadResult[];
}

export async function interleavedRatio(
  subject: LoadOptions,
  baseline: LoadOptions,
  rounds: number,
  serverPid?: number,
): Promise<InterleavedRatio> {
  const measured: InterleavedRound[] = [];
  const subjectLoads: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const elapsed = new Map<LoadOptions, number>([
      [subject, 0],
      [baseline, 0],
    ]);
    const cpu = new Map<LoadOptions, number>([
      [subject, 0],
      [baseline, 0],
    ]);
    for (let block = 0; block < BLOCKS; block++) {
      const order = (round * BLOCKS + block) % 2 === 0 ? [baseline, subject] : [subject, baseline];
      for (const load of order) {
        const cpuBefore = serverPid === undefined ? 0 : cpuSeconds(serverPid);
        const result = await runLoad({ ...load, requests: Math.ceil(load.requests / BLOCKS) });
        cpu.set(load, cpu.get(load)! + (serverPid === undefined ? 0 : cpuSeconds(serverPid) - cpuBefore));
        if (result.failures > 0) {
          throw new Error(`${result.failures} requests to ${load.paths[0]} failed`);
        }
        elapsed.set(load, elapsed.get(load)! + result.elapsedMs);
        if (load === subject) {
          subjectLoads.push(result);
        }
      }
    }
    const sent = (load: LoadOptions) => Math.ceil(load.requests / BLOCKS) * BLOCKS;
    const rps = (load: LoadOptions) => (sent(load) * 1000) / elapsed.get(load)!;
    const cpuMicros = (load: LoadOptions) => (cpu.get(load)! / sent(load)) * 1e6;
    measured.push({
      subjectRps: rps(subject),
      baselineRps: rps(baseline),
      ratio: rps(subject) / rps(baseline),
      ...(serverPid === undefined
        ? {}
        : { subjectCpuMicros: cpuMicros(subject), baselineCpuMicros: cpuMicros(baseline) }),
    });
  }
  return { ratio: median(measured.map((r) => r.ratio)), rounds: measured, subjectLoads };
}
