import { createMiniflareKvWriter } from "../../../../origin/release/publish/miniflare-kv-writer.ts";
import { startTestEdge } from "../../../support/local-edge.ts";
import { describeKvWriterConformance } from "./kv-writer.conformance.ts";

describeKvWriterConformance("Miniflare KV of a local edge", async () => {
  const edge = await startTestEdge();
  const listPageSize = 10;
  return {
    writer: createMiniflareKvWriter(await edge.kv("MODELS"), { listPageSize }),
    listPageSize,
    cleanup: () => edge.dispose(),
  };
});
