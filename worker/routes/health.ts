import { OpenAPIHono } from "@hono/zod-openapi";
import { deliveryCounts } from "../events/index.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { currentManifest } from "../http/edge-loaders.ts";
import { documentRoute, jsonResponse } from "../http/openapi-route.ts";
import { learningLogBatcher } from "../learning/log-batcher.ts";
import { ortVersion } from "../runtime/index.ts";
import { int8KernelInstances } from "../runtime/int8-kernel.ts";

/**
 * Liveness plus what this isolate serves: the runtime, the manifest and which models are loaded, and
 * what its forwarding delivered, dropped and still holds since it started.
 */
export function healthRoutes() {
  return documentRoute(
    new OpenAPIHono<EdgeContext>(),
    {
      method: "get",
      path: "/health",
      operationId: "getHealth",
      summary: "Liveness and what this isolate serves",
      description:
        "The runtime, the manifest and which models are loaded, and what this isolate's forwarding delivered, dropped and still holds since it started. Needs no key.",
      responses: { 200: jsonResponse("The isolate answers") },
    },
    { keyed: false },
  ).get("/health", async (c) => {
    const { state } = c.var;
    const manifest = await currentManifest(c);
    const models = Object.values(manifest?.models ?? {}).map((entry) => ({
      name: entry.name,
      version: entry.version,
      kind: entry.kind,
      quantization: entry.quantization,
      loaded: state.sessions.has(entry.name, entry.version),
    }));
    return c.json({
      status: "ok",
      runtime: {
        onnxruntimeWeb: ortVersion(),
        backend: "wasm-simd",
        threads: 1,
        kernels: { int8TopKInstances: int8KernelInstances() },
      },
      manifest: manifest ? { version: manifest.version, publishedAt: manifest.publishedAt } : null,
      models,
      sessions: {
        created: state.sessions.created,
        attempts: state.sessions.attempts,
        cached: state.sessions.size,
      },
      catalog: { loadedVersion: state.catalogs.loadedVersion },
      // The publisher's estimate for this release (null before the first publish that made one) beside
      // what this isolate's catalogue kernels hold now.
      memory: {
        estimate: manifest?.footprint ?? null,
        catalogKernelBytes: state.catalogs.kernelBytes,
      },
      features: { kvReads: state.features.kvReads },
      delivery: delivery(),
    });
  });
}

function delivery() {
  const counts = deliveryCounts();
  return {
    events: counts.events,
    decisions: { ...counts.decisions, pending: learningLogBatcher.pending("decision") },
    rewards: { ...counts.rewards, pending: learningLogBatcher.pending("reward") },
  };
}
