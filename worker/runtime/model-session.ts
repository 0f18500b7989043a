import type { InferenceSession } from "onnxruntime-web/wasm";
import type { ModelEntry } from "../../models/contracts/index.ts";
import { readChunkedBytes } from "../store/chunked-bytes.ts";
import { createSession } from "./index.ts";
import type { SessionCache } from "./session-cache.ts";

/** Runs `work` with the cached session of a manifest entry, reading its bytes from KV the first time. */
export function withModelSession<T>(
  sessions: SessionCache,
  modelsKv: KVNamespace,
  entry: ModelEntry,
  work: (session: InferenceSession) => Promise<T>,
): Promise<T> {
  return sessions.use(
    entry.name,
    entry.version,
    async () =>
      createSession(await readChunkedBytes(modelsKv, `model ${entry.name}@${entry.version}`, entry)),
    work,
  );
}
