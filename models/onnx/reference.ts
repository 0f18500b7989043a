/**
 * TypeScript forward passes that compute what each builder's graph computes, for tests (parity with ORT) and
 * for the origin (evaluate a candidate model without loading ORT).
 *
 * The int8 variants run on the dequantized weights, produced by the same quantize/dequantize code the
 * builders use, so they reproduce ORT's DequantizeLinear values bit for bit; what remains between them and
 * ORT is float32 summation order only. Sums are accumulated in float64 and each layer's output is rounded to
 * float32, as ORT stores it.
 *
 * Each `create…Reference` does the quantization once and returns a function over a batch of rows.
 */

import type { SparseRows } from "../features/sparse-rows.ts";
import type { DenseLayer } from "./dense-layer.ts";
import { checkDenseLayer } from "./dense-layer.ts";
import { checkEmbeddingTable, type EmbeddingScorerOptions } from "./embedding-scorer.ts";
import type { LinearClassifierOptions } from "./linear-classifier.ts";
import { checkMlpLayers, type MlpScorerOptions } from "./mlp-scorer.ts";
import type { Quantization } from "./model-io.ts";
import {
  dequantizePerColumn,
  dequantizePerRow,
  dequantizePerTensor,
  quantizePerColumn,
  quantizePerRow,
  quantizePerTensor,
} from "./quantize.ts";
import type { SparseLinearClassifierOptions } from "./sparse-linear-classifier.ts";

/** The weights the graph actually multiplies by: the originals, or their int8 round trip. */
export function effectiveWeights(layer: DenseLayer, quantization: Quantization): Float32Array {
  if (quantization === "float32") {
    return layer.weights;
  }
  return dequantizePerColumn(quantizePerColumn(layer.weights, layer.in, layer.out), layer.in, layer.out);
}

/** The item table the embedding graph actually gathers from (after its int8 round trip if quantized). */
export function effectiveItemTable(options: EmbeddingScorerOptions): Float32Array {
  if (options.quantize === "float32") {
    return options.itemTable;
  }
  if ((options.scaleGranularity ?? "per-tensor") === "per-row") {
    return dequantizePerRow(
      quantizePerRow(options.itemTable, options.items, options.dim),
      options.items,
      options.dim,
    );
  }
  return dequantizePerTensor(quantizePerTensor(options.itemTable));
}

/** y[rows, out] = x[rows, in] · W + b, with x and W row-major. */
export function denseForward(
  x: Float32Array,
  rows: number,
  weights: Float32Array,
  bias: Float32Array,
  inDim: number,
  outDim: number,
): Float32Array {
  if (x.length !== rows * inDim) {
    throw new RangeError(`expected ${rows}×${inDim} inputs, got ${x.length}`);
  }
  const y = new Float32Array(rows * outDim);
  const acc = new Float64Array(outDim);
  for (let r = 0; r < rows; r++) {
    acc.set(bias);
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i]!;
      if (xi === 0) {
        continue;
      }
      const rowOffset = i * outDim;
      for (let o = 0; o < outDim; o++) {
        acc[o]! += xi * weights[rowOffset + o]!;
      }
    }
    y.set(acc, r * outDim);
  }
  return y;
}

export function sigmoidInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) {
    values[i] = 1 / (1 + Math.exp(-values[i]!));
  }
  return values;
}

export function reluInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.max(0, values[i]!);
  }
  return values;
}

/** Row-wise softmax over [rows, cols], shifted by the row max so exp never overflows. */
export function softmaxRowsInPlace(values: Float32Array, cols: number): Float32Array {
  for (let start = 0; start < values.length; start += cols) {
    const row = values.subarray(start, start + cols);
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) {
      max = Math.max(max, row[c]!);
    }
    let sum = 0;
    const exps = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      exps[c] = Math.exp(row[c]! - max);
      sum += exps[c]!;
    }
    for (let c = 0; c < cols; c++) {
      row[c] = exps[c]! / sum;
    }
  }
  return values;
}

/** A batch forward pass: `rows` inputs in, a row-major [rows, outputs] Float32Array out. */
export type BatchForward = (features: Float32Array, rows: number) => Float32Array;

export function createMlpReference(
  options: Pick<MlpScorerOptions, "layers" | "output" | "quantize">,
): BatchForward {
  checkMlpLayers(options.layers);
  const layers = options.layers.map((layer) => ({
    ...layer,
    weights: effectiveWeights(layer, options.quantize),
  }));
  return (features, rows) => {
    let x = features;
    layers.forEach((layer, i) => {
      x = denseForward(x, rows, layer.weights, layer.bias, layer.in, layer.out);
      if (i < layers.length - 1) {
        reluInPlace(x);
      }
    });
    return options.output === "sigmoid" ? sigmoidInPlace(x) : x;
  };
}

export function createLinearClassifierReference(
  options: Pick<LinearClassifierOptions, "weights" | "bias" | "inputDim" | "classes" | "output" | "quantize">,
): BatchForward {
  const layer = { weights: options.weights, bias: options.bias, in: options.inputDim, out: options.classes };
  checkDenseLayer(layer, "linear classifier");
  const weights = effectiveWeights(layer, options.quantize);
  return (features, rows) => {
    const logits = denseForward(features, rows, weights, layer.bias, layer.in, layer.out);
    return options.output === "softmax" ? softmaxRowsInPlace(logits, layer.out) : sigmoidInPlace(logits);
  };
}

/** scores[B, N] for `users` [B, dim] against the items `itemIds`. */
export type EmbeddingForward = (
  users: Float32Array,
  batch: number,
  itemIds: BigInt64Array | readonly number[],
) => Float32Array;

export function createEmbeddingReference(options: EmbeddingScorerOptions): EmbeddingForward {
  checkEmbeddingTable(options);
  const { items, dim } = options;
  const table = effectiveItemTable(options);
  return (users, batch, itemIds) => {
    if (users.length !== batch * dim) {
      throw new RangeError(`expected ${batch}×${dim} user values, got ${users.length}`);
    }
    const n = itemIds.length;
    const scores = new Float32Array(batch * n);
    for (let j = 0; j < n; j++) {
      const id = Number(itemIds[j]);
      if (!Number.isInteger(id) || id < 0 || id >= items) {
        throw new RangeError(`item id ${id} is outside the table of ${items} items`);
      }
      const row = id * dim;
      for (let b = 0; b < batch; b++) {
        let sum = 0;
        for (let k = 0; k < dim; k++) {
          sum += users[b * dim + k]! * table[row + k]!;
        }
        scores[b * n + j] = sum;
      }
    }
    return scores;
  };
}

/** P(positive) for each sparse row, as the sparse graph computes it (on its int8 round trip if quantized). */
export function createSparseLinearReference(
  options: Pick<SparseLinearClassifierOptions, "weights" | "bias" | "quantize">,
): (x: SparseRows) => Float32Array {
  const weights =
    options.quantize === "float32"
      ? options.weights
      : dequantizePerTensor(quantizePerTensor(options.weights));
  return (x) => {
    const logits = new Float32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let sum = options.bias;
      for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
        sum += weights[x.indices[t]!]! * x.values[t]!;
      }
      logits[r] = sum;
    }
    return sigmoidInPlace(logits);
  };
}
