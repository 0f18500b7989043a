import { columnMappingUsage } from "../column-mapping-options.ts";
import { fileIngestionCommand, fileIngestionUsage } from "../file-ingestion.ts";

const usage = `usage: edgewise import --format csv|parquet|segment FILE [column mapping] [--errors FILE] [--no-progress]

Imports an export from another system into the configured stores (see edgewise serve --help), streamed
in transactions, with a progress bar, and prints how many records were stored, duplicates, rejected
(each with its line, or Parquet row, and reason) and skipped. A bad row never costs the good ones, and
importing the same file again stores nothing twice.

  --format F        csv | parquet (with a column mapping, below) | segment (Segment or RudderStack
                    JSON lines, one message a line: the e-commerce spec's Product Viewed, Product
                    Clicked, Product Added, Order Completed with products, Product Reviewed, and
                    identify traits become views, clicks, carts, purchases, reviews and ratings, items
                    and users; README.md has the mapping table). With a column mapping, csv or
                    parquet by the name
${fileIngestionUsage}

${columnMappingUsage}`;

export const importCommand = fileIngestionCommand({
  summary: "import a CSV or Parquet export (with a column mapping) or Segment/RudderStack event lines",
  usage,
  formats: ["csv", "parquet", "segment"],
  requireFormat: "pass --format csv|parquet|segment (csv and parquet with a column mapping)",
});
