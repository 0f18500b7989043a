/** What every section of the quality bench returns: its printed table, gate checks and raw figures. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SectionResult {
  title: string;
  table: string;
  checks: Check[];
  figures: Record<string, unknown>;
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

export function fmt(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** Relative loss of int8 against float32 for a higher-is-better metric (negative when int8 is better). */
export function relativeLoss(float32: number, int8: number): number {
  return float32 === 0 ? 0 : (float32 - int8) / float32;
}

export function int8Check(what: string, float32: number, int8: number, limit = 0.01): Check {
  const loss = relativeLoss(float32, int8);
  return {
    name: `int8 loses < ${limit * 100} % relative: ${what}`,
    ok: loss < limit,
    detail: `float32 ${fmt(float32)} → int8 ${fmt(int8)} (${(loss * 100).toFixed(2)} % loss)`,
  };
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}
