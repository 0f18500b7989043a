import { Hono } from "hono";
import type { EdgeState } from "../edge-state.ts";
import type { Env } from "../env.ts";
import { ortVersion } from "../runtime/index.ts";
import { int8KernelLoaded } from "../runtime/int8-kernel.ts";
import { manifestTtlSeconds } from "../settings.ts";

/** Liveness plus what this isolate serves: the runtime, the manifest and which models are loaded. */
export function healthRoutes(state: EdgeState) {
  return new Hono<{ Bindings: Env }>().get("/health", async (c) => {
    const manifest = await state.manifests.current(c.env.MODELS, manifestTtlSeconds(c.env));
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
        kernels: { int8TopK: int8KernelLoaded() ? "loaded" : "available" },
      },
      manifest: manifest ? { version: manifest.version, publishedAt: manifest.publishedAt } : null,
      models,
      sessions: { created: state.sessions.created, cached: state.sessions.size },
    });
  });
}
