/**
 * The train and test files of `edgewise eval recs`, read through the ingestion's interaction reader: a CSV
 * or Parquet file with a column mapping (MovieLens `ratings.csv` is known by its header), or NDJSON
 * ingestion records. Every row that is not used is counted by reason, with the first few lines named:
 * nothing is dropped silently.
 */
import { readFile } from "node:fs/promises";
import {
  type ColumnMapping,
  type CsvOptions,
  firstLine,
  movieLensMappingFor,
  readInteractionFile,
  tableFormatOf,
} from "../ingest/index.ts";
import { parseNdjsonInteractions, type RawInteraction } from "../train/index.ts";
import { UsageError } from "./command.ts";

/** How many dropped rows a report names by line; the rest are counted. */
const NAMED_DROPS = 10;

export interface DroppedRows {
  /** Rows not used, by reason. */
  counts: Record<string, number>;
  /** The first few, with their line. */
  examples: string[];
}

export interface EvalInteractions {
  rows: RawInteraction[];
  dropped: DroppedRows;
}

function dropper(): { dropped: DroppedRows; drop(reason: string, line: number, detail?: string): void } {
  const dropped: DroppedRows = { counts: {}, examples: [] };
  return {
    dropped,
    drop(reason, line, detail) {
      dropped.counts[reason] = (dropped.counts[reason] ?? 0) + 1;
      if (dropped.examples.length < NAMED_DROPS) {
        dropped.examples.push(`line ${line}: ${detail ?? reason}`);
      }
    },
  };
}

/**
 * Reads one file of interactions. `mapping` comes from the command's flags; without it a CSV must be
 * MovieLens ratings and any other file NDJSON ingestion records.
 */
export async function readEvalInteractions(
  path: string,
  given?: { mapping: ColumnMapping; csv: CsvOptions },
): Promise<EvalInteractions> {
  const { format } = tableFormatOf(path);
  if (given === undefined && format === "csv") {
    const header = await firstLine(path);
    if (header.trimStart().startsWith("{")) {
      return {
        rows: parseNdjsonInteractions(await readFile(path, "utf8")),
        dropped: { counts: {}, examples: [] },
      };
    }
    const movieLens = movieLensMappingFor(header);
    if (movieLens === null) {
      throw new UsageError(
        `${path}: name its columns with --user-col and --item-col (and --time-col, --value-col, --value-kind)`,
      );
    }
    given = { mapping: movieLens, csv: {} };
  }
  if (given === undefined) {
    throw new UsageError(`${path}: a Parquet file needs a column mapping (--user-col, --item-col, …)`);
  }
  const rows: RawInteraction[] = [];
  const { dropped, drop } = dropper();
  for await (const row of readInteractionFile(path, given.mapping, given.csv)) {
    if (!row.ok) {
      drop("unreadable", row.line, row.reason);
      continue;
    }
    const { userId, itemId, tsMs, value } = row.row;
    rows.push({ userId, itemId, tsSeconds: tsMs / 1000, value, line: row.row.line });
  }
  return { rows, dropped };
}

/**
 * Test rows whose user or item the training file never saw can't be ranked: they are dropped here, each
 * counted by reason and the first few named by line, so the test set the metrics use is the one reported.
 */
export function keepKnown(test: EvalInteractions, train: readonly RawInteraction[]): EvalInteractions {
  const users = new Set(train.map((r) => r.userId));
  const items = new Set(train.map((r) => r.itemId));
  const { dropped, drop } = dropper();
  Object.assign(dropped.counts, test.dropped.counts);
  dropped.examples.push(...test.dropped.examples);
  const rows = test.rows.filter((r) => {
    const line = r.line ?? 0;
    if (!users.has(r.userId)) {
      drop("user not in --train", line, `user '${r.userId}' is not in --train`);
      return false;
    }
    if (!items.has(r.itemId)) {
      drop("item not in --train", line, `item '${r.itemId}' is not in --train`);
      return false;
    }
    return true;
  });
  return { rows, dropped };
}
