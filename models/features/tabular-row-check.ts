/**
 * What the tabular encoder would do silently wrong with a client's row: an unknown attribute, a
 * numeric one that is not a number, or so large its standardised value overflows float32, and a
 * categorical one outside the categories seen in training would all encode as "missing" (or as
 * Infinity) and give a plausible but wrong score. An empty string or null is a missing value, as in training. The edge refuses such rows with this message.
 */
import { asCategory, asNumber, type TabularEncoderSpec, type TabularRow } from "./tabular-encoder.ts";

/** Categories named in a message at most; the count is always given. */
const namedCategories = 20;

/** The first problem with `row` for `spec`, or null when every attribute encodes as meant. */
export function tabularRowProblem(spec: TabularEncoderSpec, row: TabularRow): string | null {
  const columns = new Map(spec.columns.map((column) => [column.name, column]));
  for (const [name, value] of Object.entries(row)) {
    const column = columns.get(name);
    if (column === undefined) {
      return `unknown attribute '${name}'; the model takes: ${[...columns.keys()].join(", ")}`;
    }
    if (value === null || value === undefined) {
      continue; // Explicitly missing: encoded as the encoder documents (the mean, or no category).
    }
    if (column.kind === "numeric") {
      const number = asNumber(value);
      if (!Number.isFinite(number)) {
        return `attribute '${name}' must be a number; got ${JSON.stringify(value)}`;
      }
      if (!Number.isFinite(Math.fround((number - column.mean) / column.std))) {
        return `attribute '${name}' is ${number}, too large to encode as a 32-bit float for this model`;
      }
      continue;
    }
    // The encoder stringifies a category (training read "1" and 1 alike), so a number may name one.
    const category = asCategory(value);
    if (category !== undefined && !column.categories.includes(category)) {
      return `attribute '${name}' must be one of ${describe(column.categories)}; got ${JSON.stringify(value)}`;
    }
  }
  return null;
}

function describe(categories: readonly string[]): string {
  if (categories.length === 0) {
    return "no category (none was seen in training; send null)";
  }
  const shown = categories.slice(0, namedCategories).map((category) => JSON.stringify(category));
  const more = categories.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}
