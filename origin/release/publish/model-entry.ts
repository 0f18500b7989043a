import { kvKeys, type ModelEntry, type Preprocessing } from "../../../models/contracts/index.ts";
import type { BuiltModel } from "../../../models/onnx/index.ts";
import { chunkedBlob } from "./byte-chunks.ts";

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
  const { chunks, blob } = await chunkedBlob(
    model.bytes,
    (index) => kvKeys.modelChunk(model.name, model.version, index),
    extra.chunkBytes,
  );
  const entry: ModelEntry = {
    name: model.name,
    version: model.version,
    kind: model.kind,
    ...blob,
    inputs: model.io.inputs,
    outputs: model.io.outputs,
    quantization: model.quantization,
    metrics: extra.metrics ?? {},
    ...(extra.featureVector ? { featureVector: extra.featureVector } : {}),
    ...(extra.preprocessing ? { preprocessing: extra.preprocessing } : {}),
  };
  return { entry, chunks };
}
