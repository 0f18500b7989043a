import sharp from "sharp";
import { COLOUR_HISTOGRAM_BINS, labHistogram } from "./colour-histogram.ts";
import { type DominantColours, dominantColours } from "./dominant-colours.ts";
import { edgeTexture, TEXTURE_DIM } from "./edge-texture.ts";
import { rgbToLab } from "./lab-colour.ts";
import { PHASH_SIZE, perceptualHash } from "./perceptual-hash.ts";

/** Images are described at this square size: enough for colour and texture statistics, cheap to compute. */
export const DESCRIBE_SIZE = 64;
export const DOMINANT_COLOURS = 4;
/** Largest decoded image (width × height) libvips is asked to open: a decompression bomb stops here. */
const MAX_INPUT_PIXELS = 40_000_000;
const DECODED_FORMATS = new Set(["png", "jpeg", "webp", "gif", "heif"]);

export interface ImageDescriptors {
  /** joint L*a*b* histogram, shares summing to 1 */
  colourHistogram: Float32Array;
  dominantColours: DominantColours;
  /** gradient magnitude and orientation histograms, mean magnitude, edge density (see edge-texture.ts) */
  texture: Float32Array;
  /** 64-bit DCT perceptual hash, 16 hex digits */
  perceptualHash: string;
}

/** Width of `descriptorVector`: the histogram, then (L, a, b, weight) per dominant colour, then texture. */
export const IMAGE_DESCRIPTOR_DIM = COLOUR_HISTOGRAM_BINS + DOMINANT_COLOURS * 4 + TEXTURE_DIM;

/** Share of the cosine similarity each block contributes (colour tells products apart more than texture). */
const BLOCK_WEIGHTS = { histogram: 0.5, dominant: 0.25, texture: 0.25 } as const;

/** Thrown for bytes that are not a decodable image of an accepted format. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImageDecodeError";
  }
}

/** Decodes (sharp: libvips) to DESCRIBE_SIZE² RGB over white, EXIF orientation applied. */
export async function decodeForDescriptors(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" });
    const { format } = await image.metadata();
    if (format === undefined || !DECODED_FORMATS.has(format)) {
      throw new ImageDecodeError(`image format '${format ?? "unknown"}' is not decoded for features`);
    }
    const data = await image
      .rotate()
      .flatten({ background: "#ffffff" })
      .resize(DESCRIBE_SIZE, DESCRIBE_SIZE, { fit: "fill" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer();
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    if (error instanceof ImageDecodeError) {
      throw error;
    }
    throw new ImageDecodeError(`cannot decode image: ${(error as Error).message}`);
  }
}

/** The descriptors of a DESCRIBE_SIZE² RGB image: pure, no decoding. */
export function describePixels(rgb: Uint8Array): ImageDescriptors {
  const lab = rgbToLab(rgb);
  const pixels = DESCRIBE_SIZE * DESCRIBE_SIZE;
  const grey = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    grey[p] = lab[p * 3]! / 100;
  }
  return {
    colourHistogram: labHistogram(lab),
    dominantColours: dominantColours(lab, DOMINANT_COLOURS),
    texture: edgeTexture(grey, DESCRIBE_SIZE, DESCRIBE_SIZE),
    perceptualHash: perceptualHash(halve(grey, DESCRIBE_SIZE, PHASH_SIZE)),
  };
}

/** Decodes and describes one image. */
export async function describeImage(bytes: Uint8Array): Promise<ImageDescriptors> {
  return describePixels(await decodeForDescriptors(bytes));
}

/** Box-averages a size² grey image down to target² (size a multiple of target). */
function halve(grey: Float32Array, size: number, target: number): Float32Array {
  const factor = size / target;
  const out = new Float32Array(target * target);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      out[Math.floor(y / factor) * target + Math.floor(x / factor)]! += grey[y * size + x]!;
    }
  }
  for (let i = 0; i < out.length; i++) {
    out[i]! /= factor * factor;
  }
  return out;
}

/**
 * One vector per image for cosine similarity: the histogram's square roots (the Hellinger embedding: their
 * dot product is the Bhattacharyya coefficient), the dominant colours scaled to about unit range, and the
 * texture statistics, each block L2-normalised and scaled by the square root of its weight, so the cosine of
 * two vectors is the weighted mean of the blocks' cosines.
 */
export function descriptorVector(d: ImageDescriptors): Float32Array {
  const out = new Float32Array(IMAGE_DESCRIPTOR_DIM);
  const histogram = out.subarray(0, COLOUR_HISTOGRAM_BINS);
  d.colourHistogram.forEach((share, i) => {
    histogram[i] = Math.sqrt(share);
  });
  const dominant = out.subarray(COLOUR_HISTOGRAM_BINS, COLOUR_HISTOGRAM_BINS + DOMINANT_COLOURS * 4);
  for (let c = 0; c < DOMINANT_COLOURS; c++) {
    const weight = d.dominantColours.weights[c]!;
    dominant[c * 4] = (d.dominantColours.centres[c * 3]! / 100) * weight;
    dominant[c * 4 + 1] = (d.dominantColours.centres[c * 3 + 1]! / 100) * weight;
    dominant[c * 4 + 2] = (d.dominantColours.centres[c * 3 + 2]! / 100) * weight;
    dominant[c * 4 + 3] = weight;
  }
  const texture = out.subarray(COLOUR_HISTOGRAM_BINS + DOMINANT_COLOURS * 4);
  texture.set(d.texture);
  scaleToNorm(histogram, Math.sqrt(BLOCK_WEIGHTS.histogram));
  scaleToNorm(dominant, Math.sqrt(BLOCK_WEIGHTS.dominant));
  scaleToNorm(texture, Math.sqrt(BLOCK_WEIGHTS.texture));
  return out;
}

function scaleToNorm(block: Float32Array, norm: number): void {
  let sum = 0;
  for (const v of block) {
    sum += v * v;
  }
  if (sum > 0) {
    const scale = norm / Math.sqrt(sum);
    for (let i = 0; i < block.length; i++) {
      block[i]! *= scale;
    }
  }
}
