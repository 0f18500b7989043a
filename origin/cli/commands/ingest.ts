import { FILE_FORMATS } from "../../ingest/index.ts";
import { columnMappingUsage } from "../column-mapping-options.ts";
import { fileIngestionCommand, fileIngestionUsage } from "../file-ingestion.ts";

const usage = `usage: edgewise ingest FILE [--format FORMAT] [column mapping] [--batch-size N] [--errors FILE] [--no-progress]

Streams the records in FILE into the configured stores (see edgewise serve --help), in transactions of
--batch-size records (default 5000), and prints how many were stored, duplicates and rejected (each
rejected row with its line and reason). Idempotent: ingesting a file again stores nothing twice.

  --format FORMAT   ${FILE_FORMATS.join(" | ")}
                    default: from the name (.ndjson/.jsonl, .json, .parquet, u.data/.data/.tsv =
                    MovieLens u.data, .csv = MovieLens ratings.csv, or a mapped CSV when a column
                    mapping is given)
${fileIngestionUsage}

${columnMappingUsage}`;

export const ingestCommand = fileIngestionCommand({
  summary: "load NDJSON, JSON, MovieLens ratings, or a column-mapped CSV or Parquet file",
  usage,
  formats: FILE_FORMATS,
});
