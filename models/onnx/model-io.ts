/**
 * What every builder returns next to the model bytes. The publisher copies `io`, `kind` and `quantization`
 * into the manifest's ModelEntry (models/contracts/manifest.ts owns that boundary schema; these plain types
 * are a subset of it, which test/models checks by parsing builder output with the contract schema).
 */

/** The tensor element types our graphs use at their boundary or in initializers. */
export type TensorDtype = "float32" | "int8" | "int32" | "int64";

/** A fixed size, or a symbolic name (e.g. "N" for the batch) whose size the caller picks on every run. */
export type Dim = number | string;

export interface TensorIo {
  name: string;
  dtype: TensorDtype;
  shape: Dim[];
}

export interface ModelIo {
  inputs: TensorIo[];
  outputs: TensorIo[];
}

/** How the weights are stored: int8 (4× smaller in KV and isolate memory) or float32. */
export type Quantization = "float32" | "int8";

/** What every model builder takes besides the model itself. */
export interface BuildOptions {
  /** The precision of the weights in the serialized model. */
  quantize: Quantization;
  /** Recorded in the model's metadata_props. */
  name?: string;
  version?: string;
}

/** Which builder made the model, so the edge knows how to feed it (the manifest's `kind`). */
export type ModelKind =
  | "mlp-scorer"
  | "embedding-scorer"
  | "linear-classifier"
  | "sparse-linear-classifier"
  | "tree-ensemble";

export interface BuiltModel {
  kind: ModelKind;
  /** The serialized ModelProto, ready for `InferenceSession.create(bytes)` or a KV put. */
  bytes: Uint8Array;
  io: ModelIo;
  quantization: Quantization;
}
