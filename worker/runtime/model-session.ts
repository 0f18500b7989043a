import type { InferenceSession } from "onnxruntime-web/wasm";
import type { ModelEntry } from "../../models/contracts/index.ts";
import { createSession } from "./index.ts";
import type { SessionCache } from "./session-cache.ts";

/** Where a model's session comes from: the isolate's session cache, and the bytes for a session not made yet. */
export interface ModelSource {
  sessions: SessionCache;
  /** The model's published bytes, checked against its manifest entry (the edge reads them from KV). */
  bytesOf(entry: ModelEntry): Promise<Uint8Array>;
}

/** Runs `work` with the cached session of a manifest entry, reading its bytes the first time. */
export function withModelSession<T>(
  source: ModelSource,
  entry: ModelEntry,
  work: (session: InferenceSession) => Promise<T>,
): Promise<T> {
  return source.sessions.use(
    entry.name,
    entry.version,
    async () => createSession(await source.bytesOf(entry)),
    work,
  );
}
