/**
 * A tiny ONNX graph builder over `onnx-proto` (protobufjs), so trainers and tests write a model in a few
 * typed calls instead of hand-assembling protobuf objects. It targets IR 7 / opset 13 because that is what
 * onnxruntime-web 1.30 and onnxruntime-node both load and what the verified graphs in NOTES.md use.
 *
 * Runs unchanged in Node and workerd: no `node:` imports, no Buffer in the result (protobufjs hands back a
 * Buffer in Node, which we copy into a plain Uint8Array so both runtimes see the same type).
 */
import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import type { Dim, ModelIo, TensorDtype, TensorIo } from "./model-io.ts";

// onnx-proto is CommonJS whose named export Node's ESM loader cannot detect, so take it off the default export.
const { onnx } = onnxProto;

export const IR_VERSION = 7;
export const OPSET_VERSION = 13;
/** The opset of each other operator domain a graph may use: ai.onnx.ml 1 has the tree ensembles. */
export const DOMAIN_OPSET_VERSIONS: Readonly<Record<string, number>> = { "ai.onnx.ml": 1 };
export const PRODUCER_NAME = "edgewise";

/** ONNX TensorProto.DataType codes, e.g. for Cast's `to` attribute. */
export const ELEMENT_TYPE: Record<TensorDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** A node attribute, tagged with its ONNX type (a JS number cannot say whether `1` is an int or a float). */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string }
  | { strings: readonly string[] };

/** Collects inputs, outputs, initializers and nodes; holds state, hence a class. */
export class GraphBuilder {
  readonly name: string;
  readonly #inputs: TensorIo[] = [];
  readonly #outputs: TensorIo[] = [];
  readonly #initializers: OnnxTypes.ITensorProto[] = [];
  readonly #nodes: OnnxTypes.INodeProto[] = [];
  readonly #names = new Set<string>();
  /** Operator domains besides the default one that some node uses (e.g. ai.onnx.ml). */
  readonly #domains = new Set<string>();

  constructor(name: string) {
    this.name = name;
  }

  /** Declares a graph input; returns its name so calls chain into `node(...)`. */
  input(name: string, dtype: TensorDtype, shape: readonly Dim[]): string {
    this.#claim(name);
    this.#inputs.push({ name, dtype, shape: [...shape] });
    return name;
  }

  /** Declares a graph output. The tensor itself must be produced by some node. */
  output(name: string, dtype: TensorDtype, shape: readonly Dim[]): string {
    this.#outputs.push({ name, dtype, shape: [...shape] });
    return name;
  }

  float32(name: string, dims: readonly number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) {
      // ONNX raw_data is little-endian whatever the host is; DataView makes that explicit.
      view.setFloat32(i * 4, data[i]!, true);
    }
    return this.#initializer(name, "float32", dims, data.length, bytes);
  }

  int8(name: string, dims: readonly number[], data: Int8Array): string {
    // A copy: the caller may reuse its array after building.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    return this.#initializer(name, "int8", dims, data.length, bytes);
  }

  int64(name: string, dims: readonly number[], data: BigInt64Array): string {
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) {
      view.setBigInt64(i * 8, data[i]!, true);
    }
    return this.#initializer(name, "int64", dims, data.length, bytes);
  }

  /**
   * Adds a node, of the default operator set unless `domain` names another (its opset is then imported).
   * Outputs must be new names: a tensor has exactly one producer in an ONNX graph.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    domain = "",
  ): void {
    for (const output of outputs) {
      this.#claim(output);
    }
    if (domain !== "") {
      this.#domains.add(domain);
    }
    this.#nodes.push({
      name: `${opType}_${this.#nodes.length}`,
      opType,
      domain,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([name, value]) => toAttribute(name, value)),
    });
  }

  /** The operator domains besides the default that the graph's nodes use. */
  domains(): string[] {
    return [...this.#domains];
  }

  io(): ModelIo {
    return {
      inputs: this.#inputs.map((t) => ({ ...t, shape: [...t.shape] })),
      outputs: this.#outputs.map((t) => ({ ...t, shape: [...t.shape] })),
    };
  }

  toGraphProto(): OnnxTypes.IGraphProto {
    for (const output of this.#outputs) {
      if (!this.#names.has(output.name)) {
        throw new Error(`graph ${this.name}: output "${output.name}" is produced by no node`);
      }
    }
    return {
      name: this.name,
      input: this.#inputs.map(toValueInfo),
      output: this.#outputs.map(toValueInfo),
      initializer: this.#initializers,
      node: this.#nodes,
    };
  }

  #initializer(name: string, dtype: TensorDtype, dims: readonly number[], length: number, raw: Uint8Array) {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== length) {
      throw new RangeError(
        `initializer ${name}: dims [${dims.join(", ")}] need ${expected} values, got ${length}`,
      );
    }
    this.#claim(name);
    this.#initializers.push({ name, dims: [...dims], dataType: ELEMENT_TYPE[dtype], rawData: raw });
    return name;
  }

  #claim(name: string): void {
    if (this.#names.has(name)) {
      throw new Error(`graph ${this.name}: tensor name "${name}" is already used`);
    }
    this.#names.add(name);
  }
}

function toValueInfo(tensor: TensorIo): OnnxTypes.IValueInfoProto {
  return {
    name: tensor.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[tensor.dtype],
        shape: { dim: tensor.shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function toAttribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  if ("int" in value) {
    return { name, type: type.INT, i: value.int };
  }
  if ("float" in value) {
    return { name, type: type.FLOAT, f: value.float };
  }
  if ("ints" in value) {
    return { name, type: type.INTS, ints: [...value.ints] };
  }
  if ("floats" in value) {
    return { name, type: type.FLOATS, floats: [...value.floats] };
  }
  if ("strings" in value) {
    return { name, type: type.STRINGS, strings: value.strings.map((s) => new TextEncoder().encode(s)) };
  }
  return { name, type: type.STRING, s: new TextEncoder().encode(value.string) };
}

/** Model-level facts recorded in ModelProto.metadata_props, readable from any ONNX tool. */
export interface ModelMetadata {
  name: string;
  version: string;
  docString?: string;
  /** Further string pairs (e.g. the training run id); `name` and `version` always win. */
  extra?: Record<string, string>;
}

/** Serializes the graph as an IR 7 / opset 13 ModelProto produced by "edgewise". */
export function serializeModel(graph: GraphBuilder, metadata: ModelMetadata): Uint8Array {
  const props = { ...metadata.extra, name: metadata.name, version: metadata.version };
  const model: OnnxTypes.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [
      { domain: "", version: OPSET_VERSION },
      ...graph.domains().map((domain) => {
        const version = DOMAIN_OPSET_VERSIONS[domain];
        if (version === undefined) {
          throw new Error(`graph ${graph.name}: no opset version known for domain ${domain}`);
        }
        return { domain, version };
      }),
    ],
    producerName: PRODUCER_NAME,
    docString: metadata.docString ?? "",
    graph: graph.toGraphProto(),
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  };
  // Copy: in Node protobufjs returns a Buffer that may be a view into a shared pool.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}
