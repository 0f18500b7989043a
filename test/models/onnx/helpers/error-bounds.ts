/**
 * Worst-case bounds on how far a model's output may move, per output element, computed from the actual test
 * inputs. They turn "int8 is close to float32" into an assertion that can fail for the right reason.
 *
 * Derivation (one dense layer y = h·W + b, baseline weights Wb, actual weights Wa):
 *   y' − y = (h' − h)·Wa + h·(Wa − Wb), so |y'ⱼ − yⱼ| ≤ Σᵢ |h'ᵢ − hᵢ|·|Wa_ij| + Σᵢ |hᵢ|·|Wa_ij − Wb_ij|.
 * - Weight quantization (actual int8, baseline float32): |Wa_ij − Wb_ij| ≤ sⱼ/2, sⱼ the column's scale
 *   (models/onnx/quantize.ts). Same quantization on both sides: the term is 0.
 * - Activation quantization (native ORT's MatMulNBits at accuracy_level 4 quantizes each input row per block
 *   to int8): each h'ᵢ moves by at most half a step, and a step is ≤ max|row|/127 (symmetric int8; an
 *   asymmetric uint8 step over [min, max] ∋ 0 is ≤ 2·max|row|/255, smaller), so ≤ max|h'|/254. We add it
 *   at every layer, whether or not ORT fused that layer.
 * - ReLU is 1-Lipschitz (the bound passes through); sigmoid is ¼-Lipschitz; for softmax, shifting every
 *   logit by at most ε scales each probability by a factor in [e^−2ε, e^2ε], so |p' − p| ≤ p·(e^2ε − 1).
 * - FLOAT32_SLACK covers float32 rounding and summation order, which differ between runtimes even on
 *   identical weights; scores here are O(1), so an absolute 1e-5 is ~100 float32 ulps.
 */
import {
  type DenseLayer,
  type EmbeddingScorerOptions,
  effectiveWeights,
  INT8_MAX,
  type Quantization,
  quantizePerColumn,
  quantizePerRow,
  quantizePerTensor,
} from "../../../../models/onnx/index.ts";

export const FLOAT32_SLACK = 1e-5;

export interface Deviation {
  /** Quantization of the model whose output is checked. */
  actual: Quantization;
  /** Quantization of the reference it is compared against. */
  baseline: Quantization;
  /** Whether the runtime may quantize activations (see Runtime.quantizesActivations). */
  activationQuantization: boolean;
}

/** Per-column bound on |Wa − Wb|: sⱼ/2 when only the actual side is int8, else 0. */
function weightDelta(layer: DenseLayer, deviation: Deviation): Float64Array {
  if (deviation.actual === deviation.baseline) {
    return new Float64Array(layer.out);
  }
  const { scales } = quantizePerColumn(layer.weights, layer.in, layer.out);
  return Float64Array.from(scales, (s) => s / 2);
}

/** Bound on |logit' − logit| for every row and output of a stack of dense layers (ReLU between them). */
export function denseStackBound(
  layers: readonly DenseLayer[],
  deviation: Deviation,
  x: Float32Array,
  rows: number,
): Float64Array {
  const last = layers[layers.length - 1]!;
  const bound = new Float64Array(rows * last.out);
  const prepared = layers.map((layer) => ({
    layer,
    baseline: effectiveWeights(layer, deviation.baseline),
    actual: effectiveWeights(layer, deviation.actual),
    delta: weightDelta(layer, deviation),
  }));
  for (let r = 0; r < rows; r++) {
    let h = Float64Array.from(x.subarray(r * layers[0]!.in, (r + 1) * layers[0]!.in));
    let e = new Float64Array(h.length);
    prepared.forEach(({ layer, baseline, actual, delta }, l) => {
      const maxH = h.reduce((m, v, i) => Math.max(m, Math.abs(v) + e[i]!), 0);
      const step = deviation.activationQuantization ? maxH / (2 * INT8_MAX) : 0;
      const nextH = Float64Array.from(layer.bias);
      const nextE = new Float64Array(layer.out);
      for (let i = 0; i < layer.in; i++) {
        for (let j = 0; j < layer.out; j++) {
          nextH[j]! += h[i]! * baseline[i * layer.out + j]!;
          nextE[j]! += (e[i]! + step) * Math.abs(actual[i * layer.out + j]!) + Math.abs(h[i]!) * delta[j]!;
        }
      }
      h = l < layers.length - 1 ? nextH.map((v) => Math.max(0, v)) : nextH;
      e = nextE;
    });
    bound.set(e, r * last.out);
  }
  return bound;
}

/** Bound after a sigmoid or identity head, plus float slack. */
export function pointwiseHeadBound(logitBound: Float64Array, head: "sigmoid" | "identity"): Float32Array {
  const lipschitz = head === "sigmoid" ? 0.25 : 1;
  return Float32Array.from(logitBound, (e) => lipschitz * e + FLOAT32_SLACK);
}

/** Bound after a row-wise softmax whose baseline probabilities are `probabilities`, plus float slack. */
export function softmaxHeadBound(
  logitBound: Float64Array,
  probabilities: Float32Array,
  classes: number,
): Float32Array {
  const out = new Float32Array(probabilities.length);
  for (let start = 0; start < probabilities.length; start += classes) {
    const eps = Math.max(...logitBound.subarray(start, start + classes));
    for (let c = start; c < start + classes; c++) {
      out[c] = probabilities[c]! * Math.expm1(2 * eps) + FLOAT32_SLACK;
    }
  }
  return out;
}

/**
 * Bound on |score' − score| for scores[B, N] = users · table[ids]ᵀ when the table is int8 and the baseline
 * float32: Σₖ |u_bk|·s/2, with s the table's scale (per-tensor) or the item's row scale (per-row). With the
 * same quantization on both sides only float slack remains (no runtime fuses Gather → DequantizeLinear).
 */
export function embeddingBound(
  options: EmbeddingScorerOptions,
  deviation: Omit<Deviation, "activationQuantization">,
  users: Float32Array,
  batch: number,
  ids: BigInt64Array,
): Float32Array {
  const { items, dim } = options;
  const halfSteps = new Float64Array(items);
  if (deviation.actual !== deviation.baseline) {
    if ((options.scaleGranularity ?? "per-tensor") === "per-row") {
      quantizePerRow(options.itemTable, items, dim).scales.forEach((s, i) => {
        halfSteps[i] = s / 2;
      });
    } else {
      halfSteps.fill(quantizePerTensor(options.itemTable).scale / 2);
    }
  }
  const out = new Float32Array(batch * ids.length);
  for (let b = 0; b < batch; b++) {
    let userL1 = 0;
    for (let k = 0; k < dim; k++) {
      userL1 += Math.abs(users[b * dim + k]!);
    }
    ids.forEach((id, j) => {
      out[b * ids.length + j] = userL1 * halfSteps[Number(id)]! + FLOAT32_SLACK;
    });
  }
  return out;
}
