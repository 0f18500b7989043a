/**
 * Record sources for `edgewise ingest`: NDJSON, JSON arrays and MovieLens ratings (`u.data`, tab-separated
 * without header, and `ratings.csv`), each read as a stream and yielded one record (or one parse error)
 * at a time.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { IngestRecordInput } from "../../models/contracts/index.ts";
import type { RecordItem } from "./files/index.ts";
import { splitJsonArray } from "./json-array-splitter.ts";

export const FILE_FORMATS = [
  "ndjson",
  "json",
  "movielens-udata",
  "movielens-csv",
  "csv",
  "parquet",
  "segment",
] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** The format a file name suggests; `.json` files are sniffed by their first character. */
export function formatFromName(fileName: string, firstChar: string | undefined): FileFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
    return "ndjson";
  }
  if (name.endsWith(".json")) {
    return firstChar === "[" ? "json" : "ndjson";
  }
  if (name.endsWith(".csv")) {
    return "movielens-csv";
  }
  if (name.endsWith(".parquet") || name.endsWith(".pq")) {
    return "parquet";
  }
  if (name.endsWith("u.data") || name.endsWith(".data") || name.endsWith(".tsv")) {
    return "movielens-udata";
  }
  return null;
}

async function* ndjson(input: Readable): AsyncGenerator<RecordItem> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() === "") {
      continue;
    }
    try {
      yield { ok: true, value: JSON.parse(text), line };
    } catch (error) {
      yield { ok: false, error: `line ${line} is not valid JSON: ${(error as Error).message}`, line };
    }
  }
}

async function* jsonArray(input: Readable): AsyncGenerator<RecordItem> {
  input.setEncoding("utf8");
  let index = 0;
  for await (const element of splitJsonArray(input as AsyncIterable<string>)) {
    try {
      yield { ok: true, value: JSON.parse(element) };
    } catch (error) {
      yield { ok: false, error: `element ${index} is not valid JSON: ${(error as Error).message}` };
    }
    index++;
  }
}

/** A MovieLens rating as an event; the id repeats for the same rating, so re-ingesting a file is a no-op. */
function ratingRecord(userId: string, itemId: string, rating: string, seconds: string): IngestRecordInput {
  return {
    event_id: `ml-${userId}-${itemId}-${seconds}`,
    type: "rating",
    user_id: userId,
    item_id: itemId,
    value: Number(rating),
    ts: Number(seconds) * 1000,
    source: "movielens",
  };
}

async function* movieLens(
  input: Readable,
  format: "movielens-udata" | "movielens-csv",
): AsyncGenerator<RecordItem> {
  const separator = format === "movielens-csv" ? "," : "\t";
  // u.data has no header: user, item, rating, timestamp. ratings.csv names its columns.
  let columns: number[] | null = format === "movielens-udata" ? [0, 1, 2, 3] : null;
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() === "") {
      continue;
    }
    const fields = text.split(separator).map((field) => field.trim().replace(/^"(.*)"$/, "$1"));
    if (columns === null) {
      const wanted = ["userId", "movieId", "rating", "timestamp"].map((name) => fields.indexOf(name));
      if (wanted.some((index) => index < 0)) {
        throw new Error(`line 1 must name the columns userId, movieId, rating, timestamp; got: ${text}`);
      }
      columns = wanted;
      continue;
    }
    const [user, item, rating, seconds] = columns.map((index) => fields[index]);
    if (!user || !item || !rating || !seconds || !/^\d+$/.test(seconds)) {
      yield {
        ok: false,
        error: `line ${line} is not a rating (user, item, rating, timestamp): ${text}`,
        line,
      };
      continue;
    }
    yield { ok: true, value: ratingRecord(user, item, rating, seconds), line };
  }
}

/** Edgewise's own formats and MovieLens ratings, read from a stream. */
export function readRecords(
  input: Readable,
  format: "ndjson" | "json" | "movielens-udata" | "movielens-csv",
): AsyncGenerator<RecordItem> {
  switch (format) {
    case "ndjson":
      return ndjson(input);
    case "json":
      return jsonArray(input);
    default:
      return movieLens(input, format);
  }
}
