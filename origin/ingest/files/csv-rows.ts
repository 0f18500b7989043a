/**
 * CSV (RFC 4180, any one-character delimiter) read as a stream with csv-parse: the header first, then each
 * row's cells with the line it ends on, or the reason a row could not be parsed (a stray quote, a wrong
 * number of fields). A broken row is reported and the rows after it are read.
 */
import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import { FileReadError } from "./file-read-error.ts";
import { type ColumnMapping, interactionRowMapper, type MappedRow } from "./interaction-columns.ts";

export interface CsvOptions {
  /** Default `,`. */
  delimiter?: string;
  /**
   * Default true. Without a header, columns are named by position from 1 ("1", "2", …), so a mapping
   * says `--user-col 1`.
   */
  header?: boolean;
}

/** A row's cells, or why it could not be parsed; `line` is the line the row ends on (1-based). */
export type CsvRow = { line: number; cells: string[] } | { line: number; error: string };

const CR = 13;
const LF = 10;

/**
 * The bytes of a stream with every CRLF turned into LF. csv-parse counts a CRLF inside a quoted field as
 * two lines, so the line numbers it reports would drift after such a row. Works on bytes (CR and LF never
 * occur inside a UTF-8 sequence), and passes a chunk without a CR through untouched.
 */
async function* crlfToLf(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let pendingCr = false;
  for await (const piece of input) {
    const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
    if (!pendingCr && chunk.indexOf(CR) < 0) {
      yield chunk;
      continue;
    }
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let n = 0;
    if (pendingCr && chunk[0] !== LF) {
      out[n++] = CR;
    }
    pendingCr = false;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === CR) {
        if (i + 1 === chunk.length) {
          pendingCr = true; // the first half of a CRLF split across chunks, perhaps
          continue;
        }
        if (chunk[i + 1] === LF) {
          continue;
        }
      }
      out[n++] = byte;
    }
    yield out.subarray(0, n);
  }
  if (pendingCr) {
    yield Buffer.from([CR]);
  }
}

/** Rows of a CSV stream in file order, the header included as the first (unless `header` is false). */
export async function* readCsvRows(input: Readable, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  // Rows csv-parse skips are reported through on_skip as it parses, ahead of the rows it has queued:
  // they wait here and are given out in line order.
  const skipped: CsvRow[] = [];
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip(error: CsvError | undefined) {
      const line = Number((error as { lines?: number } | undefined)?.lines ?? 0);
      skipped.push({ line, error: error?.message ?? "the row could not be parsed" });
      return undefined;
    },
  });
  const text = Readable.from(crlfToLf(input));
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    while (skipped.length > 0 && skipped[0]!.line < info.lines) {
      yield skipped.shift()!;
    }
    yield { line: info.lines, cells: record };
  }
  yield* skipped;
}

/** The header a CSV declares (or the positional names "1"…"n" of a file without one). */
function headerOf(first: string[], hasHeader: boolean): string[] {
  return hasHeader ? first.map((name) => name.trim()) : first.map((_, i) => String(i + 1));
}

/**
 * Mapped interactions of a CSV stream: one result per data row, in file order, each a row or the reason
 * (with its line) the row can't be used. Throws FileReadError when the file is empty or lacks a mapped
 * column, before any row.
 */
export async function* readCsvInteractions(
  input: Readable,
  mapping: ColumnMapping,
  options: CsvOptions = {},
): AsyncGenerator<MappedRow> {
  const hasHeader = options.header ?? true;
  let width = -1;
  let map: ReturnType<typeof interactionRowMapper> | null = null;
  for await (const row of readCsvRows(input, options)) {
    if ("error" in row) {
      yield { ok: false, line: row.line, reason: row.error };
      continue;
    }
    if (map === null) {
      const header = headerOf(row.cells, hasHeader);
      width = header.length;
      map = interactionRowMapper(mapping, header);
      if (hasHeader) {
        continue;
      }
    }
    if (row.cells.length !== width) {
      yield {
        ok: false,
        line: row.line,
        reason: `the row has ${row.cells.length} fields, the ${hasHeader ? "header has" : "first row had"} ${width}`,
      };
      continue;
    }
    yield map(row.cells, row.line);
  }
  if (map === null) {
    throw new FileReadError("the CSV is empty: no header line");
  }
}
