import { type FaultyOrigin, ORIGIN_TEST_KEY, startFaultyOrigin } from "./faulty-origin.ts";
import { startTestEdge, type TestEdge } from "./local-edge.ts";

/**
 * A fault-injecting origin and three edges in front of it, for the tests of what the edge forwards:
 * `direct` forwards with waitUntil, `queued` through a Miniflare queue consumed by the same Worker,
 * `unconfigured` has no origin to forward to.
 */
export interface ForwardingEdges {
  origin: FaultyOrigin;
  direct: TestEdge;
  queued: TestEdge;
  unconfigured: TestEdge;
  close(): Promise<void>;
}

export async function startForwardingEdges(): Promise<ForwardingEdges> {
  const origin = await startFaultyOrigin();
  const forwarding = { ORIGIN_INGEST_URL: origin.ingestUrl, ORIGIN_INGEST_KEY: ORIGIN_TEST_KEY };
  const edges = Promise.all([
    startTestEdge(forwarding),
    // Retries without delay, so a retried delivery needs no waiting.
    startTestEdge(
      { ...forwarding, EVENTS_RETRY_BASE_SECONDS: "0" },
      {
        queue: {
          producerBinding: "EVENTS_QUEUE",
          queueName: "edgewise-events",
          maxBatchSize: 100,
          maxBatchTimeoutSeconds: 0,
          maxRetries: 5,
        },
      },
    ),
    startTestEdge(),
  ]);
  // An edge that fails to start must not leave the origin (and its database) running.
  const [direct, queued, unconfigured] = await edges.catch(async (error: unknown) => {
    await origin.close();
    throw error;
  });
  return {
    origin,
    direct,
    queued,
    unconfigured,
    async close() {
      await Promise.all([direct.dispose(), queued.dispose(), unconfigured.dispose()]);
      await origin.close();
    },
  };
}
