/**
 * Every weighting of `parts` blocks in multiples of `step` that sums to 1, the single-part ones included:
 * the candidates the validations choose among. Equal shares come first, so a tie keeps them.
 */
export function simplexGrid(parts: number, step: number): number[][] {
  if (parts <= 0) {
    return [];
  }
  const units = Math.round(1 / step);
  const out: number[][] = [];
  const walk = (prefix: number[], left: number) => {
    if (prefix.length === parts - 1) {
      out.push([...prefix, left].map((u) => u / units));
      return;
    }
    for (let u = left; u >= 0; u--) {
      walk([...prefix, u], left - u);
    }
  };
  walk([], units);
  const equal = Array(parts).fill(1 / parts);
  return [equal, ...out.filter((w) => w.some((x, p) => Math.abs(x - equal[p]!) > 1e-9))];
}

/** The grid's step for this many parts: quarters up to three parts, halves beyond (at most 15 candidates). */
export function gridStep(parts: number): number {
  return parts <= 3 ? 0.25 : 0.5;
}
