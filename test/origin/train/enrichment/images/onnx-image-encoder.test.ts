import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildConvImageEncoder,
  type ConvImageEncoderOptions,
  convImageEncoderForward,
} from "../../../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { loadOriginConfig } from "../../../../../origin/config.ts";
import {
  ENCODER_WEIGHT,
  extractImageFeatures,
  IMAGE_DESCRIPTOR_DIM,
  type ImageEncoderSpec,
  imageEncoderSpec,
  lazyImageEncoder,
  loadOnnxImageEncoder,
  preprocessForEncoder,
} from "../../../../../origin/train/enrichment/images/index.ts";
import { contentOptions } from "../../../../../origin/train/enrichment/index.ts";

const SIZE = 24;

/** A random 3 → 6 (stride 2) → 8 CNN with a 8 → 5 projection: weights from a fixed seed. */
function encoderOptions(layout: "NCHW" | "NHWC"): ConvImageEncoderOptions {
  const rng = mulberry32(11);
  return {
    size: SIZE,
    layout,
    convs: [
      {
        in: 3,
        out: 6,
        kernel: 3,
        stride: 2,
        pad: 1,
        weights: randomNormalArray(rng, 6 * 3 * 9, 0.3),
        bias: randomNormalArray(rng, 6, 0.1),
      },
      {
        in: 6,
        out: 8,
        kernel: 3,
        stride: 1,
        pad: 1,
        weights: randomNormalArray(rng, 8 * 6 * 9, 0.3),
        bias: randomNormalArray(rng, 8, 0.1),
      },
    ],
    projection: {
      in: 8,
      out: 5,
      weights: randomNormalArray(rng, 40, 0.5),
      bias: randomNormalArray(rng, 5, 0.1),
    },
  };
}

const spec = (layout: "NCHW" | "NHWC"): ImageEncoderSpec => ({
  modelPath: "in-memory.onnx",
  size: SIZE,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  layout,
});

let images: Buffer[];

beforeAll(async () => {
  const svg = (fill: string, cx: number) =>
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#f4f1de"/><circle cx="${cx}" cy="22" r="14" fill="${fill}"/><rect x="4" y="36" width="50" height="6" fill="#3d405b"/></svg>`,
    );
  images = [
    await sharp(svg("#e07a5f", 20)).png().toBuffer(),
    await sharp(svg("#81b29a", 40)).jpeg({ quality: 80 }).toBuffer(),
    await sharp(svg("#f2cc8f", 30)).webp({ quality: 80 }).toBuffer(),
  ];
});

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a).toHaveLength(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst;
}

describe("encoder preprocessing", () => {
  it("standardises each channel with the spec's mean and std, in the spec's layout", async () => {
    const solid = await sharp({
      create: { width: 10, height: 7, channels: 3, background: { r: 255, g: 0, b: 51 } },
    })
      .png()
      .toBuffer();
    const s = { ...spec("NCHW"), size: 4 };
    const nchw = await preprocessForEncoder(solid, s);
    const nhwc = await preprocessForEncoder(solid, { ...s, layout: "NHWC" });
    const expected = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.2 - 0.406) / 0.225];
    for (let c = 0; c < 3; c++) {
      expect(nchw[c * 16 + 5]).toBeCloseTo(expected[c]!, 5);
      expect(nhwc[5 * 3 + c]).toBeCloseTo(expected[c]!, 5);
    }
  });
});

describe("ONNX image encoder", () => {
  it("matches the TypeScript forward pass of the same CNN on PNG, JPEG and WebP bytes", async () => {
    const options = encoderOptions("NCHW");
    const encoder = await loadOnnxImageEncoder(spec("NCHW"), buildConvImageEncoder(options).bytes);
    const embeddings = await encoder.encode(images);
    expect(embeddings).toHaveLength(3);
    for (const [i, image] of images.entries()) {
      const reference = convImageEncoderForward(options, await preprocessForEncoder(image, spec("NCHW")), 1);
      expect(maxAbsDiff(embeddings[i]!, reference)).toBeLessThan(1e-4);
    }
    // different pictures, different embeddings
    expect(maxAbsDiff(embeddings[0]!, embeddings[1]!)).toBeGreaterThan(1e-2);
  });

  it("feeds an NHWC model the same pixels transposed: it agrees with the NCHW model", async () => {
    const nchw = await loadOnnxImageEncoder(
      spec("NCHW"),
      buildConvImageEncoder(encoderOptions("NCHW")).bytes,
    );
    const nhwc = await loadOnnxImageEncoder(
      spec("NHWC"),
      buildConvImageEncoder(encoderOptions("NHWC")).bytes,
    );
    const [a, b] = [await nchw.encode(images), await nhwc.encode(images)];
    for (let i = 0; i < images.length; i++) {
      expect(maxAbsDiff(a[i]!, b[i]!)).toBeLessThan(1e-5);
    }
  });

  it("rejects a CNN whose layers do not chain", () => {
    const options = encoderOptions("NCHW");
    expect(() => buildConvImageEncoder({ ...options, convs: [options.convs[1]!] })).toThrow(
      /takes 6 channels/,
    );
  });
});

describe("the encoder in image features and configuration", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "image-encoder-"));
    await writeFile(join(dir, "cnn.onnx"), buildConvImageEncoder(encoderOptions("NCHW")).bytes);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("appends the file's embedding to the descriptors and records both parts and their weights", async () => {
    const encoder = lazyImageEncoder({ ...spec("NCHW"), modelPath: join(dir, "cnn.onnx") });
    const items = images.map((bytes, i) => ({
      itemId: `i${i}`,
      imageUrl: `data:image/${["png", "jpeg", "webp"][i]};base64,${bytes.toString("base64")}`,
    }));
    const features = await extractImageFeatures(
      [...items, { itemId: "bad", imageUrl: "data:image/png;base64,AAAA" }],
      {
        encoder,
      },
    );
    expect(features.dim).toBe(IMAGE_DESCRIPTOR_DIM + 5);
    expect(features.parts).toEqual([
      { name: "descriptors", dim: IMAGE_DESCRIPTOR_DIM, weight: 1 - ENCODER_WEIGHT },
      { name: encoder.name, dim: 5, weight: ENCODER_WEIGHT },
    ]);
    expect(features.report).toMatchObject({ described: 3, failed: 1, failures: { decode: 1 } });
    for (let i = 0; i < 3; i++) {
      const row = features.vectors.subarray(i * features.dim, (i + 1) * features.dim);
      const norm = (part: Float32Array) => Math.hypot(...part);
      expect(norm(row.subarray(IMAGE_DESCRIPTOR_DIM))).toBeCloseTo(Math.sqrt(ENCODER_WEIGHT), 5);
      expect(norm(row)).toBeCloseTo(1, 5);
    }
  });

  it("counts an encoder that fails as an encoder failure and keeps going", async () => {
    const failing = { name: "broken", encode: async () => Promise.reject(new Error("model exploded")) };
    const url = `data:image/png;base64,${images[0]!.toString("base64")}`;
    const features = await extractImageFeatures([{ itemId: "a", imageUrl: url }], { encoder: failing });
    expect(features.report).toMatchObject({ described: 0, failed: 1, failures: { encoder: 1 } });
  });

  it("reads IMAGE_ENCODER_* and refuses a bad mean, std or layout", () => {
    expect(imageEncoderSpec(loadOriginConfig({}))).toBeUndefined();
    expect(contentOptions(loadOriginConfig({})).images?.encoder).toBeUndefined();
    expect(contentOptions(loadOriginConfig({ IMAGE_FEATURES: "false" }))).toEqual({
      content: { tableDim: 64 },
    });
    const config = loadOriginConfig({
      IMAGE_ENCODER_MODEL: "/models/clip.onnx",
      IMAGE_ENCODER_SIZE: "128",
      IMAGE_ENCODER_MEAN: "0.5, 0.5, 0.5",
      IMAGE_ENCODER_STD: "0.26,0.26,0.27",
      IMAGE_ENCODER_LAYOUT: "NHWC",
    });
    expect(imageEncoderSpec(config)).toEqual({
      modelPath: "/models/clip.onnx",
      size: 128,
      mean: [0.5, 0.5, 0.5],
      std: [0.26, 0.26, 0.27],
      layout: "NHWC",
    });
    expect(contentOptions(config).images?.encoder?.name).toBe("onnx:/models/clip.onnx");
    expect(() => loadOriginConfig({ IMAGE_ENCODER_MEAN: "0.5,0.5" })).toThrow(/IMAGE_ENCODER_MEAN/);
    expect(() => loadOriginConfig({ IMAGE_ENCODER_STD: "0.2,0,0.2" })).toThrow(/IMAGE_ENCODER_STD/);
    expect(() => loadOriginConfig({ IMAGE_ENCODER_LAYOUT: "CHW" })).toThrow(/IMAGE_ENCODER_LAYOUT/);
  });
});
