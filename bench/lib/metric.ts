/**
 * Headline figures a benchmark reports for `npm run bench`: printed as `::metric name value unit`
 * lines (only when bench/run-all.ts sets BENCH_METRICS=1, so a benchmark run by hand prints just its
 * tables), which run-all collects into bench/results/latest.json and compares with the previous
 * committed run. `better` says which direction is an improvement.
 */
export function reportMetric(name: string, value: number, unit: string, better: "higher" | "lower"): void {
  if (process.env.BENCH_METRICS !== "1" || !Number.isFinite(value)) {
    return;
  }
  console.log(`::metric ${name} ${value} ${unit} ${better}`);
}

export interface Metric {
  name: string;
  value: number;
  unit: string;
  better: "higher" | "lower";
}

const metricLine = /^::metric (\S+) (\S+) (\S+) (higher|lower)$/;

/** Splits a benchmark's output into its metrics and the rest of its text. */
export function parseMetrics(output: string): { metrics: Metric[]; text: string } {
  const metrics: Metric[] = [];
  const text: string[] = [];
  for (const line of output.split("\n")) {
    const match = metricLine.exec(line.trim());
    if (match) {
      metrics.push({
        name: match[1]!,
        value: Number(match[2]),
        unit: match[3]!,
        better: match[4] as Metric["better"],
      });
    } else {
      text.push(line);
    }
  }
  return { metrics, text: text.join("\n").trim() };
}
