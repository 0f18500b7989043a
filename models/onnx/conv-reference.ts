/**
 * The TypeScript forward pass of buildConvImageEncoder's graph, for parity tests against ORT: float64 sums,
 * each layer's output rounded to float32 as ORT stores it.
 */
import { type ConvImageEncoderOptions, type ConvLayer, checkConvLayers } from "./conv-image-encoder.ts";

/** One image's [in, size, size] NCHW planes through Conv (zero padding) and Relu: [out, outSize, outSize]. */
function convRelu(
  input: Float32Array,
  size: number,
  conv: ConvLayer,
): { output: Float32Array; size: number } {
  const outSize = Math.floor((size + 2 * conv.pad - conv.kernel) / conv.stride) + 1;
  const output = new Float32Array(conv.out * outSize * outSize);
  const k = conv.kernel;
  for (let o = 0; o < conv.out; o++) {
    for (let oy = 0; oy < outSize; oy++) {
      for (let ox = 0; ox < outSize; ox++) {
        let sum = conv.bias[o]!;
        for (let c = 0; c < conv.in; c++) {
          for (let ky = 0; ky < k; ky++) {
            const y = oy * conv.stride + ky - conv.pad;
            if (y < 0 || y >= size) {
              continue;
            }
            for (let kx = 0; kx < k; kx++) {
              const x = ox * conv.stride + kx - conv.pad;
              if (x < 0 || x >= size) {
                continue;
              }
              sum += input[(c * size + y) * size + x]! * conv.weights[((o * conv.in + c) * k + ky) * k + kx]!;
            }
          }
        }
        output[(o * outSize + oy) * outSize + ox] = Math.max(sum, 0);
      }
    }
  }
  return { output, size: outSize };
}

/** [N × 3 × size × size] NCHW pixels (whatever the model's input layout) to [N × D] embeddings. */
export function convImageEncoderForward(
  options: ConvImageEncoderOptions,
  nchw: Float32Array,
  n: number,
): Float32Array {
  checkConvLayers(options);
  const { projection } = options;
  const perImage = 3 * options.size * options.size;
  const out = new Float32Array(n * projection.out);
  for (let i = 0; i < n; i++) {
    let planes = nchw.subarray(i * perImage, (i + 1) * perImage);
    let size = options.size;
    for (const conv of options.convs) {
      const next = convRelu(planes, size, conv);
      planes = next.output;
      size = next.size;
    }
    const channels = projection.in;
    const pooled = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let p = 0; p < size * size; p++) {
        sum += planes[c * size * size + p]!;
      }
      pooled[c] = sum / (size * size);
    }
    for (let j = 0; j < projection.out; j++) {
      let sum = projection.bias[j]!;
      for (let c = 0; c < channels; c++) {
        sum += pooled[c]! * projection.weights[c * projection.out + j]!;
      }
      out[i * projection.out + j] = sum;
    }
  }
  return out;
}
