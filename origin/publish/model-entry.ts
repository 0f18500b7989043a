import type { ModelEntry } from "../../models/contracts/index.ts";
import { kvKeys } from "../../models/contracts/index.ts";
import type { BuiltModel } from "../../models/onnx/index.ts";

/** Workers KV refuses values over 25 MiB; stay a little under it. */
export const maxKvValueBytes = 25 * 1024 * 1024 - 1024;

export interface NamedModel extends BuiltModel {
  name: string;
  version: string;
}

export interface ModelUpload {
  entry: ModelEntry;
  /** KV key → value, every chunk of the model's bytes. */
  chunks: Array<{ key: string; value: Uint8Array }>;
}

/**
 * Splits a model into KV-sized chunks and describes it for the manifest (keys, size, sha256, IO).
 * The edge checks the sha256 before creating a session, so a torn upload is never run.
 */
export async function prepareModelUpload(
  model: NamedModel,
  extra: { featureVector?: string; metrics?: Record<string, number>; chunkBytes?: number } = {},
): Promise<ModelUpload> {
  const chunkBytes = extra.chunkBytes ?? maxKvValueBytes;
  const chunks: ModelUpload["chunks"] = [];
  for (let offset = 0, index = 0; offset < model.bytes.length; offset += chunkBytes, index++) {
    chunks.push({
      key: kvKeys.modelChunk(model.name, model.version, index),
      value: model.bytes.subarray(offset, Math.min(offset + chunkBytes, model.bytes.length)),
    });
  }
  // slice() gives an ArrayBuffer-backed copy, which is what WebCrypto accepts.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", model.bytes.slice()));
  const entry: ModelEntry = {
    name: model.name,
    version: model.version,
    kind: model.kind,
    keys: chunks.map((chunk) => chunk.key),
    sizeBytes: model.bytes.length,
    sha256: Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join(""),
    inputs: model.io.inputs,
    outputs: model.io.outputs,
    quantization: model.quantization,
    metrics: extra.metrics ?? {},
    ...(extra.featureVector ? { featureVector: extra.featureVector } : {}),
  };
  return { entry, chunks };
}
