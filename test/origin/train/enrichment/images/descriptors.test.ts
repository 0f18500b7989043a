import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  DESCRIBE_SIZE,
  decodeForDescriptors,
  describeImage,
  descriptorVector,
  dominantColours,
  edgeTexture,
  hammingDistance,
  IMAGE_DESCRIPTOR_DIM,
  ImageDecodeError,
  ImageDescriptorCache,
  labHistogram,
  PHASH_SIZE,
  perceptualHash,
  rgbToLab,
  TEXTURE_DIM,
} from "../../../../../origin/train/enrichment/images/index.ts";

const svg = (body: string, background = "#ffffff") =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180"><rect width="240" height="180" fill="${background}"/>${body}</svg>`,
  );

const RED_CIRCLE = svg(
  `<circle cx="120" cy="90" r="70" fill="#d62828"/><rect x="20" y="20" width="30" height="30" fill="#003049"/>`,
);
const BLUE_STRIPES = svg(
  Array.from(
    { length: 12 },
    (_, i) => `<rect x="${i * 20}" y="0" width="10" height="180" fill="#1d4ed8"/>`,
  ).join(""),
  "#e0f2fe",
);

async function encodings(source: Buffer) {
  const png = await sharp(source).png().toBuffer();
  return {
    png,
    jpeg: await sharp(png).jpeg({ quality: 75 }).toBuffer(),
    webp: await sharp(png).webp({ quality: 70 }).toBuffer(),
    halfSizeJpeg: await sharp(png).resize(120, 90).jpeg({ quality: 60 }).toBuffer(),
  };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function solid(rgb: [number, number, number], pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    out.set(rgb, p * 3);
  }
  return out;
}

describe("colour in CIELAB", () => {
  it("converts sRGB white, black and red to their published Lab values", () => {
    const lab = rgbToLab(Uint8Array.of(255, 255, 255, 0, 0, 0, 255, 0, 0));
    for (const [i, expected] of [100, 0, 0, 0, 0, 0].entries()) {
      expect(lab[i]).toBeCloseTo(expected, 2);
    }
    expect(lab[6]).toBeCloseTo(53.24, 1);
    expect(lab[7]).toBeCloseTo(80.09, 1);
    expect(lab[8]).toBeCloseTo(67.2, 1);
  });

  it("puts a one-colour image into one histogram bin and shares sum to 1", () => {
    const red = labHistogram(rgbToLab(solid([200, 30, 30], 100)));
    expect(Array.from(red).filter((v) => v > 0)).toEqual([1]);
    const mixed = labHistogram(rgbToLab(Uint8Array.of(200, 30, 30, 20, 40, 200, 250, 250, 250, 10, 10, 10)));
    expect(mixed.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(Array.from(mixed).filter((v) => v > 0)).toHaveLength(4);
  });

  it("finds the two colours of a half-red, half-blue image, each with half the weight", () => {
    const pixels = new Uint8Array(200 * 3);
    pixels.set(solid([220, 20, 20], 100), 0);
    pixels.set(solid([20, 40, 220], 100), 300);
    const lab = rgbToLab(pixels);
    const { centres, weights } = dominantColours(lab, 4);
    expect(weights[0]! + weights[1]!).toBeCloseTo(1, 6);
    expect(weights[0]).toBeCloseTo(0.5, 6);
    const found = [0, 1].map((c) => Math.round(centres[c * 3 + 2]!)).sort((a, b) => a - b);
    const expected = [Math.round(lab[2]!), Math.round(lab[302]!)].sort((a, b) => a - b);
    expect(found).toEqual(expected);
    expect(Array.from(weights.subarray(2))).toEqual([0, 0]);
  });
});

describe("texture and edges", () => {
  const size = 32;
  const stripes = (vertical: boolean) =>
    Float32Array.from({ length: size * size }, (_, i) => {
      const along = vertical ? i % size : Math.floor(i / size);
      return Math.floor(along / 4) % 2;
    });

  it("gives a flat image no edges", () => {
    const texture = edgeTexture(new Float32Array(size * size).fill(0.5), size, size);
    expect(texture).toHaveLength(TEXTURE_DIM);
    expect(texture[TEXTURE_DIM - 1]).toBe(0);
    expect(texture[TEXTURE_DIM - 2]).toBe(0);
  });

  it("tells vertical from horizontal stripes by the orientation histogram", () => {
    const vertical = edgeTexture(stripes(true), size, size);
    const horizontal = edgeTexture(stripes(false), size, size);
    // orientation bins follow the 8 magnitude bins; a vertical edge has a horizontal gradient (angle 0)
    expect(vertical[8]).toBeGreaterThan(0.99);
    expect(horizontal[8 + 4]).toBeGreaterThan(0.99);
    expect(vertical[TEXTURE_DIM - 1]).toBeGreaterThan(0.3);
  });
});

describe("perceptual hash", () => {
  it("needs a 32 × 32 image", () => {
    expect(() => perceptualHash(new Float32Array(10))).toThrow(/32×32/);
    expect(perceptualHash(new Float32Array(PHASH_SIZE * PHASH_SIZE))).toMatch(/^[0-9a-f]{16}$/);
  });

  it("stays within a few bits under re-encoding and resizing and differs widely between images", async () => {
    const circle = await encodings(RED_CIRCLE);
    const stripes = await encodings(BLUE_STRIPES);
    const hash = async (bytes: Buffer) => (await describeImage(bytes)).perceptualHash;
    const reference = await hash(circle.png);
    for (const variant of [circle.jpeg, circle.webp, circle.halfSizeJpeg]) {
      expect(hammingDistance(reference, await hash(variant))).toBeLessThanOrEqual(6);
    }
    expect(hammingDistance(reference, await hash(stripes.png))).toBeGreaterThan(16);
  });

  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("00000000000000f0", "0000000000000010")).toBe(3);
  });
});

describe("image descriptors from real PNG, JPEG and WebP bytes", () => {
  it("decodes each format with sharp to the describe size", async () => {
    const { png, jpeg, webp } = await encodings(RED_CIRCLE);
    for (const bytes of [png, jpeg, webp]) {
      expect(await decodeForDescriptors(bytes)).toHaveLength(DESCRIBE_SIZE * DESCRIBE_SIZE * 3);
    }
    expect((await sharp(webp).metadata()).format).toBe("webp");
  });

  it("gives the same picture in three formats nearly the same vector, and a different picture a distant one", async () => {
    const circle = await encodings(RED_CIRCLE);
    const stripes = await encodings(BLUE_STRIPES);
    const vector = async (bytes: Buffer) => descriptorVector(await describeImage(bytes));
    const reference = await vector(circle.png);
    expect(reference).toHaveLength(IMAGE_DESCRIPTOR_DIM);
    expect(cosine(reference, reference)).toBeCloseTo(1, 5);
    const other = cosine(reference, await vector(stripes.png));
    for (const variant of [circle.jpeg, circle.webp, circle.halfSizeJpeg]) {
      const same = cosine(reference, await vector(variant));
      expect(same).toBeGreaterThan(0.95);
      expect(same).toBeGreaterThan(other + 0.2);
    }
  });

  it("finds red dominant in the red circle and blue in the stripes", async () => {
    const circle = await describeImage((await encodings(RED_CIRCLE)).png);
    const stripes = await describeImage((await encodings(BLUE_STRIPES)).png);
    // the largest non-white cluster: red has a* > 40, the blue stripes b* < -40
    const chromatic = (d: typeof circle) => {
      for (let c = 0; c < 4; c++) {
        if (Math.hypot(d.dominantColours.centres[c * 3 + 1]!, d.dominantColours.centres[c * 3 + 2]!) > 20) {
          return [d.dominantColours.centres[c * 3 + 1]!, d.dominantColours.centres[c * 3 + 2]!];
        }
      }
      return [0, 0];
    };
    expect(chromatic(circle)[0]).toBeGreaterThan(40);
    expect(chromatic(stripes)[1]).toBeLessThan(-40);
  });

  it("refuses bytes that are not an image, and SVG", async () => {
    await expect(decodeForDescriptors(Uint8Array.of(1, 2, 3, 4))).rejects.toBeInstanceOf(ImageDecodeError);
    const truncated = (await encodings(RED_CIRCLE)).png.subarray(0, 100);
    await expect(decodeForDescriptors(truncated)).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(decodeForDescriptors(RED_CIRCLE)).rejects.toThrow(/format 'svg'/);
  });
});

describe("descriptor cache", () => {
  it("describes the same bytes once, different bytes separately, and keeps a failure a failure", async () => {
    const { png, jpeg } = await encodings(RED_CIRCLE);
    const cache = new ImageDescriptorCache();
    const [a, b] = await Promise.all([cache.get(png), cache.get(Uint8Array.from(png))]);
    expect(a).toBe(b);
    expect(cache.decoded).toBe(1);
    await cache.get(jpeg);
    expect(cache.decoded).toBe(2);
    await expect(cache.get(Uint8Array.of(9, 9, 9))).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(cache.get(Uint8Array.of(9, 9, 9))).rejects.toBeInstanceOf(ImageDecodeError);
    expect(cache.decoded).toBe(3);
  });
});
