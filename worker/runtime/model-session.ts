import type { InferenceSession } from "onnxruntime-web/wasm";
import type { ModelEntry } from "../../models/contracts/index.ts";
import { readChunkedBytes } from "../store/chunked-bytes.ts";
import { createSession } from "./index.ts";
import type { SessionCache } from "./session-cache.ts";

/** The cached session for a manifest entry, reading its bytes from KV the first time. */
export function sessionForModel(
  sessions: SessionCache,
  modelsKv: KVNamespace,
  entry: ModelEntry,
): Promise<InferenceSession> {
  return sessions.get(entry.name, entry.version, async () =>
    createSession(await readChunkedBytes(modelsKv, `model ${entry.name}@${entry.version}`, entry)),
  );
}
