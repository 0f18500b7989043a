/**
 * Writes both services' OpenAPI documents to dist/openapi/ for `npm run lint:openapi` (Redocly, CI):
 * the edge's from the built Worker in a local workerd, the origin's from its app over an in-memory
 * PGlite. Both are the documents the services serve at GET /openapi.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startLocalEdge } from "../../origin/dev/local-edge/local-edge.ts";
import { createPostgresJsonbRawPayloadStore } from "../../origin/ingest/raw/index.ts";
import { createSqlEventStore, openPgliteDatabase } from "../../origin/ingest/store/index.ts";
import { createLearningStore } from "../../origin/learn/index.ts";
import { createLogger } from "../../origin/log.ts";
import { createOriginApp } from "../../origin/server/index.ts";
import { projectRoot } from "../build/targets.ts";

const outDir = path.join(projectRoot, "dist", "openapi");

async function originDocument(): Promise<unknown> {
  const database = await openPgliteDatabase();
  try {
    const app = createOriginApp({
      eventStore: createSqlEventStore(database),
      rawStore: createPostgresJsonbRawPayloadStore(database.sql),
      learningStore: createLearningStore(database.sql),
      log: createLogger({ level: "silent" }),
      ingest: {
        apiKey: "documents-only-key-0123",
        maxBodyBytes: 1,
        maxDecompressedBytes: 1,
        maxEventsPerBatch: 1,
      },
    });
    return await (await app.request("http://127.0.0.1:8080/openapi.json")).json();
  } finally {
    await database.sql.close();
  }
}

async function edgeDocument(): Promise<unknown> {
  const edge = await startLocalEdge({ rootDir: projectRoot });
  try {
    return await (await fetch(new URL("/openapi.json", edge.url))).json();
  } finally {
    await edge.dispose();
  }
}

await mkdir(outDir, { recursive: true });
for (const [name, document] of [
  ["origin", await originDocument()],
  ["edge", await edgeDocument()],
] as const) {
  const file = path.join(outDir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${path.relative(projectRoot, file)}`);
}
