import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { ModelEntry, TensorSpec } from "../../../models/contracts/index.ts";
import {
  type BuiltModel,
  buildEmbeddingScorer,
  buildLinearClassifier,
  buildMlpScorer,
  GraphBuilder,
  IR_VERSION,
  OPSET_VERSION,
  PRODUCER_NAME,
  serializeModel,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import { RUNTIMES } from "./helpers/runtimes.ts";

const { onnx } = onnxProto;
const rng = mulberry32(77);

const BUILT: readonly { label: string; model: BuiltModel }[] = [
  {
    label: "MLP scorer",
    model: buildMlpScorer({
      layers: [
        { weights: randomNormalArray(rng, 6 * 4), bias: new Float32Array(4), in: 6, out: 4 },
        { weights: randomNormalArray(rng, 4 * 2), bias: new Float32Array(2), in: 4, out: 2 },
      ],
      activation: "relu",
      output: "sigmoid",
      quantize: "int8",
      name: "behaviour",
      version: "7",
    }),
  },
  {
    label: "embedding scorer",
    model: buildEmbeddingScorer({
      itemTable: randomNormalArray(rng, 50 * 8),
      items: 50,
      dim: 8,
      quantize: "int8",
    }),
  },
  {
    label: "linear classifier",
    model: buildLinearClassifier({
      weights: randomNormalArray(rng, 10 * 3),
      bias: new Float32Array(3),
      inputDim: 10,
      classes: 3,
      output: "softmax",
      quantize: "float32",
    }),
  },
];

describe("serializeModel", () => {
  it("writes an IR 7 / opset 13 ModelProto produced by edgewise with name and version metadata", () => {
    const decoded = onnx.ModelProto.decode(BUILT[0]!.model.bytes);
    expect(Number(decoded.irVersion)).toBe(IR_VERSION);
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", OPSET_VERSION]]);
    expect(decoded.producerName).toBe(PRODUCER_NAME);
    const props = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(props).toEqual({ name: "behaviour", version: "7" });
  });

  it("keeps extra metadata but never lets it override name or version", () => {
    const graph = new GraphBuilder("identity");
    graph.input("x", "float32", [1]);
    graph.node("Identity", ["x"], ["y"]);
    graph.output("y", "float32", [1]);
    const bytes = serializeModel(graph, { name: "n", version: "2", extra: { run: "abc", name: "spoofed" } });
    const props = onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]);
    expect(Object.fromEntries(props)).toEqual({ run: "abc", name: "n", version: "2" });
  });

  it("returns a plain Uint8Array (not a Node Buffer) so both runtimes get the same type", () => {
    expect(Object.getPrototypeOf(BUILT[1]!.model.bytes)).toBe(Uint8Array.prototype);
  });
});

describe("built models load with the names and shapes their IO description promises", () => {
  for (const { label, model } of BUILT) {
    it(`${label}: the IO description satisfies the manifest's TensorSpec and kind`, () => {
      for (const tensor of [...model.io.inputs, ...model.io.outputs]) {
        expect(TensorSpec.parse(tensor)).toEqual(tensor);
      }
      expect(ModelEntry.shape.kind.parse(model.kind)).toBe(model.kind);
      expect(ModelEntry.shape.quantization.parse(model.quantization)).toBe(model.quantization);
    });

    for (const runtime of RUNTIMES) {
      it(`${label} in ${runtime.label}`, async () => {
        const session = await runtime.load(model.bytes);
        expect(session.inputNames).toEqual(model.io.inputs.map((t) => t.name));
        expect(session.outputNames).toEqual(model.io.outputs.map((t) => t.name));
        expect(session.inputShapes).toEqual(model.io.inputs.map((t) => t.shape));
        expect(session.outputShapes).toEqual(model.io.outputs.map((t) => t.shape));
      });
    }
  }
});

describe("GraphBuilder", () => {
  it("writes int64 initializers and int and float attributes that ORT reads back", async () => {
    const graph = new GraphBuilder("pick-and-leak");
    const x = graph.input("x", "float32", ["N", 4]);
    const picks = graph.int64("picks", [2], BigInt64Array.of(3n, 1n));
    graph.node("Gather", [x, picks], ["picked"], { axis: { int: 1 } });
    graph.node("LeakyRelu", ["picked"], ["y"], { alpha: { float: 0.5 } });
    graph.output("y", "float32", ["N", 2]);
    const bytes = serializeModel(graph, { name: "pick-and-leak", version: "1" });
    const session = await RUNTIMES[2]!.load(bytes);
    const x0 = Float32Array.of(1, -2, 3, -4, -5, 6, -7, 8);
    const { y } = await session.run({ x: { dtype: "float32", data: x0, dims: [2, 4] } });
    expect(Array.from(y!.data)).toEqual([-2, -1, 8, 6]);
  });

  it("rejects a tensor name used twice", () => {
    const graph = new GraphBuilder("dup");
    graph.input("x", "float32", [1]);
    expect(() => graph.float32("x", [1], Float32Array.of(1))).toThrow(/already used/);
  });

  it("rejects an output that no node produces", () => {
    const graph = new GraphBuilder("dangling");
    graph.input("x", "float32", [1]);
    graph.output("y", "float32", [1]);
    expect(() => serializeModel(graph, { name: "dangling", version: "1" })).toThrow(/produced by no node/);
  });

  it("rejects an initializer whose data does not fill its dims", () => {
    const graph = new GraphBuilder("short");
    expect(() => graph.float32("w", [2, 3], new Float32Array(5))).toThrow(RangeError);
  });
});

describe("builder option checks", () => {
  const layer = (inDim: number, out: number) => ({
    weights: new Float32Array(inDim * out),
    bias: new Float32Array(out),
    in: inDim,
    out,
  });

  it("rejects MLP layers whose sizes do not chain", () => {
    expect(() =>
      buildMlpScorer({
        layers: [layer(4, 3), layer(5, 1)],
        activation: "relu",
        output: "identity",
        quantize: "float32",
      }),
    ).toThrow(/layer 1/);
  });

  it("rejects a classifier whose weights are not inputDim × classes", () => {
    expect(() =>
      buildLinearClassifier({
        weights: new Float32Array(7),
        bias: new Float32Array(2),
        inputDim: 4,
        classes: 2,
        output: "sigmoid",
        quantize: "int8",
      }),
    ).toThrow(RangeError);
  });

  it("rejects an item table that is not items × dim", () => {
    expect(() =>
      buildEmbeddingScorer({ itemTable: new Float32Array(10), items: 3, dim: 4, quantize: "float32" }),
    ).toThrow(RangeError);
  });
});
