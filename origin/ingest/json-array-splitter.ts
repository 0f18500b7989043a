/**
 * Splits a JSON array arriving in chunks into the text of its elements, without holding the whole array:
 * a scan that tracks strings, escapes and nesting depth. Each element is then JSON.parse'd on its own,
 * so one malformed element is one rejected record.
 */
const WHITESPACE = new Set([" ", "\t", "\n", "\r", "\ufeff"]);

type ScanState = "before" | "inside" | "after";

export async function* splitJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let state = "before" as ScanState;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pending = "";
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (state !== "inside") {
        if (state === "before" && ch === "[") {
          state = "inside";
          start = i + 1;
        } else if (!WHITESPACE.has(ch)) {
          throw new Error(
            state === "before" ? "the file is not a JSON array" : "data after the end of the JSON array",
          );
        }
        continue;
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (ch === "\\") {
          escaped = true;
        } else if (ch === '"') {
          inString = false;
        }
        continue;
      }
      if (ch === '"') {
        inString = true;
      } else if (ch === "{" || ch === "[") {
        depth++;
      } else if ((ch === "}" || ch === "]") && depth > 0) {
        depth--;
      } else if ((ch === "," || ch === "]") && depth === 0) {
        const element = (pending + chunk.slice(start, i)).trim();
        pending = "";
        start = i + 1;
        if (element !== "") {
          yield element;
        } else if (ch === ",") {
          throw new Error("empty element in the JSON array");
        }
        if (ch === "]") {
          state = "after";
        }
      }
    }
    if (state === "inside") {
      pending += chunk.slice(start);
    }
  }
  if (state !== "after") {
    throw new Error("the JSON array is not closed");
  }
}
