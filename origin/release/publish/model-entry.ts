import { kvKeys, type ModelEntry, type Preprocessing } from "../../../models/contracts/index.ts";
import type { BuiltModel } from "../../../models/onnx/index.ts";
import { splitIntoChunks } from "./byte-chunks.ts";
import { sha256Hex } from "./sha256-hex.ts";

export { maxKvValueBytes } from "./byte-chunks.ts";

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
  extra: {
    featureVector?: string | undefined;
    preprocessing?: Preprocessing | undefined;
    metrics?: Record<string, number> | undefined;
    chunkBytes?: number | undefined;
  } = {},
): Promise<ModelUpload> {
  const chunks = splitIntoChunks(
    model.bytes,
    (index) => kvKeys.modelChunk(model.name, model.version, index),
    extra.chunkBytes,
  );
  const entry: ModelEntry = {
    name: model.name,
    version: model.version,
    kind: model.kind,
    keys: chunks.map((chunk) => chunk.key),
    sizeBytes: model.bytes.length,
    sha256: await sha256Hex(model.bytes),
    inputs: model.io.inputs,
    outputs: model.io.outputs,
    quantization: model.quantization,
    metrics: extra.metrics ?? {},
    ...(extra.featureVector ? { featureVector: extra.featureVector } : {}),
    ...(extra.preprocessing ? { preprocessing: extra.preprocessing } : {}),
  };
  return { entry, chunks };
}
