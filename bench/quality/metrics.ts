import { reportMetric } from "../lib/metric.ts";
import type { SectionResult } from "./report.ts";

/** Headline figures kept for the cross-run comparison of `npm run bench`; the rest stays in the tables. */
const headline: Array<[pattern: RegExp, unit: string, better: "higher" | "lower"]> = [
  [/\.(float32|int8)\.(ndcg|precision|accuracy|f1|rocAuc)$/, "score", "higher"],
  [/\.trainSeconds$/, "s", "lower"],
  [/\.cpuMs$/, "ms", "lower"],
  [/\.contentAuc$/, "score", "higher"],
];

export function reportQualityMetrics(sections: readonly SectionResult[]): void {
  for (const section of sections) {
    const prefix = `quality.${section.title.split(" ")[0]!.toLowerCase()}`;
    for (const [path, value] of flatten(section.figures, prefix)) {
      const match = headline.find(([pattern]) => pattern.test(path));
      if (match) {
        reportMetric(path, value, match[1], match[2]);
      }
    }
  }
}

/** Numeric leaves by dotted path; array entries with a `name` are keyed by it, not their index. */
function flatten(value: unknown, path: string): Array<[string, number]> {
  if (typeof value === "number") {
    return [[path, value]];
  }
  if (Array.isArray(value)) {
    return value.flatMap((entry, i) => {
      const name = (entry as { name?: unknown } | null)?.name;
      return flatten(entry, `${path}.${typeof name === "string" ? name : i}`);
    });
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, entry]) => flatten(entry, `${path}.${key}`));
  }
  return [];
}
