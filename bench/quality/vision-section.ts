import sharp from "sharp";
import { mulberry32 } from "../../models/random.ts";
import { renderProductImage, SAMPLE_CATEGORIES } from "../../origin/dev/sample-data/index.ts";
import {
  COLOUR_HISTOGRAM_BINS,
  describeImage,
  descriptorVector,
  hammingDistance,
  IMAGE_DESCRIPTOR_DIM,
  type ImageDescriptors,
} from "../../origin/train/enrichment/images/index.ts";
import { type Check, fmt, markdownTable, type SectionResult } from "./report.ts";

const PER_CATEGORY = 40;
const K = 10;
/** Hamming distance at or below which two pHashes are called near-duplicates. */
const DUPLICATE_BITS = 10;
const DOMINANT_END = COLOUR_HISTOGRAM_BINS + 16;

/** The near-duplicate variants each image is tested under: resized, re-encoded, or both. */
const VARIANTS: Record<string, (png: Buffer) => Promise<Buffer>> = {
  "resize 50 % (PNG)": (png) => sharp(png).resize(48, 48).png().toBuffer(),
  "resize 200 % (JPEG q80)": (png) => sharp(png).resize(192, 192).jpeg({ quality: 80 }).toBuffer(),
  "JPEG q50": (png) => sharp(png).jpeg({ quality: 50 }).toBuffer(),
  "WebP q60": (png) => sharp(png).webp({ quality: 60 }).toBuffer(),
  "resize 75 % + JPEG q60": (png) => sharp(png).resize(72, 72).jpeg({ quality: 60 }).toBuffer(),
};

/**
 * Image features on a generated catalogue with known categories (origin/dev/sample-data/product-images.ts:
 * eight looks, 40 varied pictures each): similar-item precision@10 by cosine over the descriptor vector and
 * over each of its blocks, against a seeded random ranking; and the DCT perceptual hash's near-duplicate
 * detection rate under resizing and re-encoding, with its false-positive rate between distinct pictures.
 */
export async function visionSection(): Promise<SectionResult> {
  const labels: number[] = [];
  const pngs: Buffer[] = [];
  for (const [c, category] of SAMPLE_CATEGORIES.entries()) {
    for (let s = 0; s < PER_CATEGORY; s++) {
      pngs.push(Buffer.from(await renderProductImage(category, 1000 + s, "png")));
      labels.push(c);
    }
  }
  const started = performance.now();
  const descriptors: ImageDescriptors[] = [];
  for (const png of pngs) {
    descriptors.push(await describeImage(png));
  }
  const describeMs = (performance.now() - started) / pngs.length;
  const vectors = descriptors.map(descriptorVector);

  const blocks: Record<string, [number, number]> = {
    "all descriptors": [0, IMAGE_DESCRIPTOR_DIM],
    "Lab colour histogram": [0, COLOUR_HISTOGRAM_BINS],
    "dominant colours": [COLOUR_HISTOGRAM_BINS, DOMINANT_END],
    "edge texture": [DOMINANT_END, IMAGE_DESCRIPTOR_DIM],
  };
  const precision: Record<string, number> = {};
  for (const [name, [from, to]] of Object.entries(blocks)) {
    precision[name] = precisionAtK(
      vectors.map((v) => v.subarray(from, to)),
      labels,
    );
  }
  precision.random = randomPrecisionAtK(labels, mulberry32(5));
  const chance = (PER_CATEGORY - 1) / (pngs.length - 1);

  const detection: Record<string, number> = {};
  const variantBits: number[] = [];
  for (const [name, make] of Object.entries(VARIANTS)) {
    let found = 0;
    for (const [i, png] of pngs.entries()) {
      const bits = hammingDistance(
        descriptors[i]!.perceptualHash,
        (await describeImage(await make(png))).perceptualHash,
      );
      variantBits.push(bits);
      found += bits <= DUPLICATE_BITS ? 1 : 0;
    }
    detection[name] = found / pngs.length;
  }
  let sameCategoryPairs = 0;
  let sameCategoryCollisions = 0;
  let otherPairs = 0;
  let otherCollisions = 0;
  for (let i = 0; i < pngs.length; i++) {
    for (let j = i + 1; j < pngs.length; j++) {
      const collide =
        hammingDistance(descriptors[i]!.perceptualHash, descriptors[j]!.perceptualHash) <= DUPLICATE_BITS;
      if (labels[i] === labels[j]) {
        sameCategoryPairs++;
        sameCategoryCollisions += collide ? 1 : 0;
      } else {
        otherPairs++;
        otherCollisions += collide ? 1 : 0;
      }
    }
  }
  const overallDetection =
    Object.values(detection).reduce((a, b) => a + b, 0) / Object.keys(detection).length;
  const falsePositiveOther = otherCollisions / otherPairs;
  const falsePositiveSame = sameCategoryCollisions / sameCategoryPairs;

  const table = [
    `${pngs.length} generated product images, ${SAMPLE_CATEGORIES.length} categories × ${PER_CATEGORY}; ` +
      `${describeMs.toFixed(1)} ms per image to decode (sharp) and describe`,
    "",
    markdownTable(
      ["similar items by", "precision@10"],
      [
        ...Object.keys(blocks).map((name) => [name, fmt(precision[name]!)]),
        ["random ranking", fmt(precision.random!)],
        ["chance (expected)", fmt(chance)],
      ],
    ),
    "",
    markdownTable(
      [`pHash near-duplicate (≤ ${DUPLICATE_BITS} of 64 bits)`, "detected"],
      [
        ...Object.entries(detection).map(([name, rate]) => [name, fmt(rate)]),
        ["all variants", fmt(overallDetection)],
        ["false positives: distinct pictures, other category", fmt(falsePositiveOther)],
        ["false positives: distinct pictures, same category", fmt(falsePositiveSame)],
      ],
    ),
  ].join("\n");

  const checks: Check[] = [
    {
      name: "image descriptors find same-category items far above random (precision@10 ≥ 3× random)",
      ok: precision["all descriptors"]! >= 3 * precision.random!,
      detail: `precision@10 ${fmt(precision["all descriptors"]!)} vs random ${fmt(precision.random!)}`,
    },
    {
      name: "pHash detects ≥ 90 % of resized and re-encoded copies",
      ok: overallDetection >= 0.9,
      detail: `${fmt(overallDetection)} detected; median variant distance ${median(variantBits)} bits`,
    },
    {
      name: "pHash calls < 1 % of distinct pictures of other categories duplicates",
      ok: falsePositiveOther < 0.01,
      detail: `${fmt(falsePositiveOther)} of ${otherPairs} pairs`,
    },
  ];
  return {
    title: "Vision: image features on generated product images",
    table,
    checks,
    figures: {
      images: pngs.length,
      describeMsPerImage: describeMs,
      precisionAt10: precision,
      chance,
      nearDuplicateDetection: detection,
      overallDetection,
      falsePositiveOther,
      falsePositiveSame,
    },
  };
}

/** Mean share of each item's K nearest others (cosine) that share its label; ties broken by index. */
function precisionAtK(vectors: readonly Float32Array[], labels: readonly number[]): number {
  const normed = vectors.map((v) => {
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });
  let total = 0;
  for (let i = 0; i < normed.length; i++) {
    const scores: [number, number][] = [];
    for (let j = 0; j < normed.length; j++) {
      if (j !== i) {
        let dot = 0;
        for (let d = 0; d < normed[i]!.length; d++) {
          dot += normed[i]![d]! * normed[j]![d]!;
        }
        scores.push([dot, j]);
      }
    }
    scores.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    total += scores.slice(0, K).filter(([, j]) => labels[j] === labels[i]).length / K;
  }
  return total / normed.length;
}

/** The same measure for K others drawn uniformly at random (a partial Fisher–Yates shuffle per item). */
function randomPrecisionAtK(labels: readonly number[], rng: () => number): number {
  let total = 0;
  const others = Array.from({ length: labels.length - 1 }, (_, j) => j);
  for (let i = 0; i < labels.length; i++) {
    for (let k = 0; k < K; k++) {
      const swap = k + Math.floor(rng() * (others.length - k));
      [others[k], others[swap]] = [others[swap]!, others[k]!];
    }
    // index j stands for item j, or j + 1 from i on, so i itself is never drawn
    total += others.slice(0, K).filter((j) => labels[j >= i ? j + 1 : j] === labels[i]).length / K;
  }
  return total / labels.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
