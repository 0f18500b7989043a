/**
 * Streams a file of records into the stores in batches: validated by the contract schema, item records'
 * documents to the raw store, everything valid to the event store (idempotent, so a file can be ingested
 * again after an interruption). The file itself is the raw copy, so raw payloads are not duplicated.
 * The rules are the endpoint's: a record the contract refuses, or that the store refuses on its own
 * (isolated by halving its batch), is counted rejected and the rest stored; an unreachable store stops
 * the run with its error, and running it again stores nothing twice.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { IngestRecord, type IngestRecordSchema, parseIngestRecord } from "../../models/contracts/index.ts";
import type { ItemDocument, RawPayloadStore } from "./raw/index.ts";
import { type FileFormat, formatFromName, readRecords } from "./record-sources.ts";
import { type EventStore, type InsertBatchResult, writeIsolatingRefusals } from "./store/index.ts";

export interface IngestFileOptions {
  /** Default: from the file name (and first character for .json). */
  format?: FileFormat;
  /** Records per store transaction; default 5,000. */
  batchSize?: number;
  /** Called after each batch with bytes read so far and the running summary. */
  onProgress?: (bytesRead: number, summary: IngestSummary) => void;
  /** How many rejection messages to keep for the report; default 20. */
  keepErrors?: number;
  /** The contract with the origin's value ranges; default the shared one. */
  recordSchema?: IngestRecordSchema;
}

export interface IngestSummary {
  format: FileFormat;
  sizeBytes: number;
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** The first rejections, with where they were. */
  errors: string[];
}

async function firstNonSpaceChar(path: string): Promise<string | undefined> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").trimStart()[0];
  } finally {
    await handle.close();
  }
}

export async function detectFileFormat(path: string): Promise<FileFormat> {
  const format = formatFromName(basename(path), await firstNonSpaceChar(path));
  if (format === null) {
    throw new Error(`cannot tell the format of ${path} from its name; pass --format`);
  }
  return format;
}

export async function ingestFile(
  path: string,
  stores: { eventStore: EventStore; rawStore: RawPayloadStore },
  options: IngestFileOptions = {},
): Promise<IngestSummary> {
  const format = options.format ?? (await detectFileFormat(path));
  const batchSize = options.batchSize ?? 5000;
  const keepErrors = options.keepErrors ?? 20;
  const summary: IngestSummary = {
    format,
    sizeBytes: (await stat(path)).size,
    read: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    errors: [],
  };
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytesRead = 0;
  input.on("data", (chunk) => {
    bytesRead += chunk.length;
  });

  const reject = (where: string, message: string) => {
    summary.rejected++;
    if (summary.errors.length < keepErrors) {
      summary.errors.push(`${where}: ${message}`);
    }
  };
  const schema = options.recordSchema ?? IngestRecord;
  let batch: IngestRecord[] = [];
  let wheres: string[] = [];
  /** Item documents with their records: in the event transaction where the raw store allows it. */
  const write = async (records: IngestRecord[]): Promise<InsertBatchResult> => {
    const documents: ItemDocument[] = records.flatMap((record) => {
      if (record.type !== "item") {
        return [];
      }
      const { event_id, ts, type, item_id, ...document } = record;
      return [{ eventId: event_id, itemId: item_id, tsMs: ts, document }];
    });
    const step = stores.rawStore.inEventTransaction?.(
      { batchId: "file", receivedAt: new Date(), payloads: [] },
      documents,
    );
    if (step === undefined) {
      await stores.rawStore.saveItemDocuments(documents);
    }
    return stores.eventStore.insertBatch(records, step);
  };
  const flush = async () => {
    if (batch.length === 0) {
      return;
    }
    const records = batch;
    const outcome = await writeIsolatingRefusals(
      records.length,
      (positions) => write(positions.map((p) => records[p]!)),
      () =>
        stores.eventStore.ping().then(
          () => true,
          () => false,
        ),
    );
    for (const { result } of outcome.stored) {
      summary.stored += result.storedCount;
      summary.duplicates += result.duplicateIndexes.length;
    }
    for (const { position, message } of outcome.refused) {
      reject(wheres[position]!, `the store refused the record: ${message}`);
    }
    batch = [];
    wheres = [];
    options.onProgress?.(bytesRead, summary);
  };

  for await (const item of readRecords(input, format)) {
    const where = item.line === undefined ? `record ${summary.read}` : `line ${item.line}`;
    summary.read++;
    if (!item.ok) {
      reject(where, item.error);
      continue;
    }
    const parsed = parseIngestRecord(item.value, schema);
    if (!parsed.success) {
      reject(where, parsed.error);
      continue;
    }
    batch.push(parsed.data);
    wheres.push(where);
    if (batch.length >= batchSize) {
      await flush();
    }
  }
  await flush();
  options.onProgress?.(summary.sizeBytes, summary);
  return summary;
}
