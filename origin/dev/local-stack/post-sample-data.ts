import { SingleBar } from "cli-progress";
import { type IngestRecordInput, ORIGIN_BATCH_PATHS } from "../../../models/contracts/index.ts";

/**
 * Posts records to the origin's ingestion endpoint in batches, as a data pipeline would, so the
 * sample data takes the same path (validation, idempotency, raw payloads) as production data.
 */
export async function postRecords(
  originUrl: URL,
  ingestKey: string,
  records: readonly IngestRecordInput[],
  options: { batchSize?: number; progress?: boolean } = {},
): Promise<{ stored: number; duplicates: number }> {
  const batchSize = options.batchSize ?? 2000;
  const bar = options.progress ? new SingleBar({ format: "ingest |{bar}| {value}/{total} records" }) : null;
  bar?.start(records.length, 0);
  let stored = 0;
  let duplicates = 0;
  try {
    for (let start = 0; start < records.length; start += batchSize) {
      const batch = records.slice(start, start + batchSize);
      const response = await fetch(new URL(ORIGIN_BATCH_PATHS.event, originUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify(batch),
      });
      const body = (await response.json()) as {
        stored?: number;
        duplicates?: unknown[];
        rejected?: unknown[];
      };
      if (!response.ok || (body.rejected?.length ?? 0) > 0) {
        throw new Error(
          `the origin refused sample records (${response.status}): ${JSON.stringify(body).slice(0, 500)}`,
        );
      }
      stored += body.stored ?? 0;
      duplicates += body.duplicates?.length ?? 0;
      bar?.update(Math.min(records.length, start + batch.length));
    }
  } finally {
    bar?.stop();
  }
  return { stored, duplicates };
}
