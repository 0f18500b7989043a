/**
 * The local stack the client and snippet tests run against: the real origin app (in-memory PGlite) served
 * over HTTP, a real workerd running the built Worker that forwards events, decisions and rewards to it, and
 * a small generated shop ingested through the client's own ingestion call, trained and published to the
 * edge's KV. Optional CORS origins let a browser page call the edge.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createIngestClient } from "../../client/src/index.ts";
import { generateTasteClusterData, type TasteClusterData } from "../../origin/dev/sample-data/index.ts";
import { openPgliteDatabase, type SqlDatabase } from "../../origin/ingest/store/index.ts";
import { fixedTargets } from "../../origin/release/index.ts";
import { createMiniflareKvWriter } from "../../origin/release/publish/index.ts";
import { createModelRegistry } from "../../origin/release/registry/index.ts";
import { runTrainingCycle } from "../../origin/train/index.ts";
import { startTestOrigin, TEST_API_KEY, type TestOrigin } from "../origin/support/origin-app.ts";
import { startTestEdge, type TestEdge } from "./local-edge.ts";

export { TEST_API_KEY as ORIGIN_INGEST_KEY };

export interface ClientStack {
  origin: TestOrigin;
  originUrl: URL;
  edge: TestEdge;
  data: TasteClusterData;
  /** Stored events whose event_id starts with prefix (every one, duplicates would show twice). */
  storedEvents(
    prefix?: string,
  ): Promise<Array<{ eventId: string; type: string; userId: string | null; itemId: string | null }>>;
  /** Rewards the origin's learning log holds for this decision, with their event ids. */
  storedRewards(decisionId: string): Promise<Array<{ eventId: string; record: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export interface ClientStackOptions {
  /** Browser origins the edge grants CORS to. */
  corsOrigins?: readonly string[];
  /** Further overrides of the edge's [vars] (REQUIRE_API_KEY=false for a page without a key). */
  edgeVars?: Record<string, string>;
}

export async function startClientStack(options: ClientStackOptions = {}): Promise<ClientStack> {
  const origin = await startTestOrigin();
  const server = serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => origin.app.fetch(request) });
  if (!server.listening) {
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  }
  const originUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const edge = await startTestEdge({
    ORIGIN_INGEST_URL: new URL("/v1/events/batch", originUrl).href,
    ORIGIN_INGEST_KEY: TEST_API_KEY,
    FEATURE_TTL_SECONDS: "0",
    CORS_ORIGINS: (options.corsOrigins ?? []).join(","),
    ...options.edgeVars,
  });
  let registryDb: SqlDatabase | undefined;
  try {
    const data = generateTasteClusterData({ endMs: Date.now() - 3_600_000, users: 80, items: 60, seed: 11 });
    const ingest = createIngestClient({ originUrl, ingestKey: TEST_API_KEY });
    // Batches within the test origin's small limits (500 records, 256 KiB).
    for (let from = 0; from < data.records.length; from += 400) {
      const result = await ingest.sendBatch(data.records.slice(from, from + 400));
      if (result.rejected.length > 0) {
        throw new Error(`the sample shop was refused: ${JSON.stringify(result.rejected.slice(0, 3))}`);
      }
    }
    registryDb = await openPgliteDatabase();
    await registryDb.migrate();
    const result = await runTrainingCycle(
      {
        eventStore: origin.eventStore,
        registry: createModelRegistry(registryDb.db),
        targets: fixedTargets({
          models: createMiniflareKvWriter(await edge.kv("MODELS")),
          features: createMiniflareKvWriter(await edge.kv("FEATURES")),
        }),
      },
      { trigger: "manual", publish: true, tolerance: 1 },
    );
    if (result.outcome !== "published") {
      throw new Error(`the sample shop's release was not published: ${result.message}`);
    }
    const db = registryDb;
    return {
      origin,
      originUrl,
      edge,
      data,
      async storedEvents(prefix = "") {
        const found: Array<{ eventId: string; type: string; userId: string | null; itemId: string | null }> =
          [];
        for await (const page of origin.eventStore.streamEvents()) {
          for (const event of page) {
            if (event.eventId.startsWith(prefix)) {
              found.push({
                eventId: event.eventId,
                type: event.type,
                userId: event.userId,
                itemId: event.itemId,
              });
            }
          }
        }
        return found;
      },
      async storedRewards(decisionId) {
        const rows = await origin.sql.query(
          "SELECT event_id, record FROM learning_rewards WHERE decision_id = $1",
          [decisionId],
        );
        return rows.map((row) => ({
          eventId: String(row[0]),
          record: (typeof row[1] === "string" ? JSON.parse(row[1]) : row[1]) as Record<string, unknown>,
        }));
      },
      async close() {
        await edge.dispose();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await origin.close();
        await db.sql.close();
      },
    };
  } catch (error) {
    await edge.dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await origin.close();
    await registryDb?.sql.close();
    throw error;
  }
}
