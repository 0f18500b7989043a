/**
 * Splits a batch body into records: a JSON array, or NDJSON (one JSON value per line, blank lines
 * skipped). An NDJSON line that is not JSON is one bad record, reported by index; a body that yields no
 * record at all is a 400.
 *
 * Nesting needs no bound here: V8's JSON.parse does not recurse (a body nested ten million levels deep
 * parses on Node 24 without overflowing the stack), and the body's size is bounded before it is parsed
 * (read-body.ts). What is too deep to store is judged per record afterwards (parseIngestRecord), so a
 * deep record costs only itself.
 */
import { ApiError } from "../../../models/contracts/index.ts";

export type BatchFormat = "json" | "ndjson";

export type ParsedRecord =
  | { ok: true; value: unknown; line?: number }
  | { ok: false; text: string; error: string; line: number };

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl"]);

/** The batch format a Content-Type names; throws a 415 for any other. */
export function batchFormat(contentType: string | undefined): BatchFormat {
  const base = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (base === "application/json") {
    return "json";
  }
  if (NDJSON_TYPES.has(base)) {
    return "ndjson";
  }
  throw new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type '${base || "(none)"}' is not supported; send application/json (an array) or application/x-ndjson`,
  );
}

/** The batch's records; throws a 400 when the body yields none at all. */
export function parseBatch(text: string, format: BatchFormat): ParsedRecord[] {
  if (format === "json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ApiError(400, "malformed_json", `body is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(value)) {
      throw new ApiError(400, "malformed_batch", "a JSON batch must be an array of records");
    }
    return value.map((item) => ({ ok: true, value: item }));
  }
  const records: ParsedRecord[] = [];
  let parsedAny = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") {
      continue;
    }
    try {
      records.push({ ok: true, value: JSON.parse(line), line: i + 1 });
      parsedAny = true;
    } catch (error) {
      records.push({
        ok: false,
        text: line,
        error: `line ${i + 1} is not valid JSON: ${(error as Error).message}`,
        line: i + 1,
      });
    }
  }
  if (records.length > 0 && !parsedAny) {
    throw new ApiError(400, "malformed_batch", "no line of the NDJSON body is valid JSON");
  }
  return records;
}
