/**
 * Generated product pictures for the sample shop, the image tests and the vision benchmark: an SVG per item
 * whose shapes and colours follow its category (books are spines, music is a record, garden is leaves, …)
 * with per-item variation in palette, position, size and rotation, rendered to PNG, JPEG or WebP by sharp.
 * Items of a category look alike without being copies, which is what image similarity should find.
 *
 * The sample items' image URLs point at SAMPLE_IMAGE_HOST, a reserved `.example` name that never resolves;
 * `sampleImageFetch` answers it in-process by rendering the picture the URL names, so `edgewise start`
 * shows image features without a network or an image server.
 */
import sharp from "sharp";
import { mulberry32, type Rng } from "../../../models/random.ts";
import { type FetchedImage, ImageFetchError } from "../../train/index.ts";

export const SAMPLE_IMAGE_HOST = "images.shop.example";
export const SAMPLE_IMAGE_SIZE = 96;

interface CategoryLook {
  backgrounds: readonly string[];
  inks: readonly string[];
  draw: (rng: Rng, ink: () => string) => string;
}

const between = (rng: Rng, min: number, max: number) => min + (max - min) * rng();
const pickOf = <T>(rng: Rng, values: readonly T[]): T => values[Math.floor(rng() * values.length)]!;

const LOOKS: Record<string, CategoryLook> = {
  books: {
    backgrounds: ["#f5ebe0", "#efe6da"],
    inks: ["#6b4226", "#1d3557", "#8d0801", "#3a5a40"],
    draw: (rng, ink) =>
      Array.from({ length: 4 + Math.floor(rng() * 3) }, (_, i) => {
        const h = between(rng, 50, 78);
        return `<rect x="${12 + i * 13 + between(rng, 0, 3)}" y="${86 - h}" width="${between(rng, 8, 12)}" height="${h}" fill="${ink()}"/>`;
      }).join(""),
  },
  music: {
    backgrounds: ["#e9e3f5", "#f0ecf8"],
    inks: ["#111111", "#240046", "#3c096c"],
    draw: (rng, ink) => {
      const cx = between(rng, 38, 58);
      const cy = between(rng, 38, 58);
      const r = between(rng, 28, 36);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${ink()}"/><circle cx="${cx}" cy="${cy}" r="${r * 0.7}" fill="none" stroke="#555" stroke-width="1"/><circle cx="${cx}" cy="${cy}" r="${r * 0.28}" fill="${pickOf(rng, ["#ff006e", "#fb5607", "#ffbe0b"])}"/>`;
    },
  },
  film: {
    backgrounds: ["#2b2d42", "#22223b"],
    inks: ["#d90429", "#ef233c", "#edf2f4"],
    draw: (rng, ink) => {
      const y = between(rng, 22, 40);
      const holes = Array.from(
        { length: 7 },
        (_, i) =>
          `<rect x="${6 + i * 13}" y="${y + 3}" width="6" height="5" fill="#edf2f4"/><rect x="${6 + i * 13}" y="${y + 34}" width="6" height="5" fill="#edf2f4"/>`,
      ).join("");
      return `<rect x="0" y="${y}" width="96" height="42" fill="#111"/>${holes}<rect x="${between(rng, 14, 40)}" y="${y + 11}" width="28" height="20" fill="${ink()}"/>`;
    },
  },
  games: {
    backgrounds: ["#caf0f8", "#d8f3dc"],
    inks: ["#7209b7", "#38b000", "#3a0ca3"],
    draw: (rng, ink) => {
      const x = between(rng, 14, 30);
      const y = between(rng, 26, 40);
      const body = ink();
      return `<rect x="${x}" y="${y}" width="52" height="30" rx="12" fill="${body}"/><rect x="${x + 8}" y="${y + 12}" width="14" height="4" fill="#fff"/><rect x="${x + 13}" y="${y + 7}" width="4" height="14" fill="#fff"/><circle cx="${x + 38}" cy="${y + 11}" r="3.5" fill="#ffd60a"/><circle cx="${x + 44}" cy="${y + 18}" r="3.5" fill="#ff4d6d"/>`;
    },
  },
  garden: {
    backgrounds: ["#f1faee", "#fefae0"],
    inks: ["#2d6a4f", "#40916c", "#52b788", "#1b4332"],
    draw: (rng, ink) =>
      Array.from({ length: 5 }, () => {
        const cx = between(rng, 20, 76);
        const cy = between(rng, 20, 76);
        return `<ellipse cx="${cx}" cy="${cy}" rx="${between(rng, 8, 14)}" ry="${between(rng, 20, 28)}" fill="${ink()}" transform="rotate(${between(rng, -60, 60)} ${cx} ${cy})"/>`;
      }).join(""),
  },
  kitchen: {
    backgrounds: ["#f8f9fa", "#edf6f9"],
    inks: ["#adb5bd", "#6c757d", "#e85d04"],
    draw: (rng, ink) => {
      const cx = between(rng, 34, 46);
      const cy = between(rng, 40, 56);
      const r = between(rng, 20, 26);
      const angle = between(rng, -25, 25);
      return `<g transform="rotate(${angle} ${cx} ${cy})"><rect x="${cx + r - 2}" y="${cy - 4}" width="34" height="8" rx="3" fill="#343a40"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="${ink()}"/><circle cx="${cx}" cy="${cy}" r="${r * 0.75}" fill="#495057"/></g>`;
    },
  },
  sports: {
    backgrounds: ["#e0fbfc", "#fff3b0"],
    inks: ["#f77f00", "#fcbf49", "#0077b6"],
    draw: (rng, ink) => {
      const cx = between(rng, 36, 60);
      const cy = between(rng, 36, 60);
      const r = between(rng, 22, 30);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${ink()}"/><path d="M ${cx - r} ${cy} Q ${cx} ${cy - r * 0.6} ${cx + r} ${cy}" stroke="#1d3557" stroke-width="3" fill="none"/><path d="M ${cx} ${cy - r} Q ${cx + r * 0.6} ${cy} ${cx} ${cy + r}" stroke="#1d3557" stroke-width="3" fill="none"/>`;
    },
  },
  toys: {
    backgrounds: ["#fff8e7", "#fdf0d5"],
    inks: ["#e63946", "#ffb703", "#219ebc", "#8ac926"],
    draw: (rng, ink) =>
      Array.from({ length: 4 + Math.floor(rng() * 3) }, (_, i) => {
        const s = between(rng, 18, 24);
        return `<rect x="${10 + (i % 3) * 26 + between(rng, -3, 3)}" y="${62 - Math.floor(i / 3) * 26 + between(rng, -3, 3)}" width="${s}" height="${s}" rx="3" fill="${ink()}" transform="rotate(${between(rng, -12, 12)} 48 48)"/>`;
      }).join(""),
  },
};

export const PRODUCT_IMAGE_CATEGORIES = Object.keys(LOOKS);

/** The SVG of one product picture; the same category and seed always give the same picture. */
export function productImageSvg(category: string, seed: number): string {
  const look = LOOKS[category];
  if (look === undefined) {
    throw new RangeError(
      `no product look for category '${category}' (${PRODUCT_IMAGE_CATEGORIES.join(", ")})`,
    );
  }
  const rng = mulberry32(seed);
  const ink = () => pickOf(rng, look.inks);
  const background = pickOf(rng, look.backgrounds);
  const s = SAMPLE_IMAGE_SIZE;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 96 96"><rect width="96" height="96" fill="${background}"/>${look.draw(rng, ink)}</svg>`;
}

export type ProductImageFormat = "png" | "jpeg" | "webp";

/** One product picture rendered by sharp (librsvg) at `size` pixels square. */
export async function renderProductImage(
  category: string,
  seed: number,
  format: ProductImageFormat = "webp",
  size = SAMPLE_IMAGE_SIZE,
): Promise<Uint8Array> {
  const image = sharp(Buffer.from(productImageSvg(category, seed))).resize(size, size);
  const encoded =
    format === "png"
      ? image.png()
      : format === "jpeg"
        ? image.flatten({ background: "#ffffff" }).jpeg({ quality: 85 })
        : image.webp({ quality: 85 });
  const bytes = await encoded.toBuffer();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The image URL of a sample item: its category and seed, on the in-process sample host. */
export function sampleImageUrl(category: string, seed: number): string {
  return `https://${SAMPLE_IMAGE_HOST}/${encodeURIComponent(category)}/${seed}.webp`;
}

/**
 * An image fetch that renders sample-host URLs in-process and hands every other URL to `fallback` (the
 * guarded fetch), for `edgewise start`'s sample shop.
 */
export function sampleImageFetch(
  fallback: (url: string) => Promise<FetchedImage>,
): (url: string) => Promise<FetchedImage> {
  const pattern = new RegExp(`^https://${SAMPLE_IMAGE_HOST.replaceAll(".", "\\.")}/([^/]+)/(\\d+)\\.webp$`);
  return async (url) => {
    const match = pattern.exec(url);
    if (match === null) {
      return fallback(url);
    }
    const category = decodeURIComponent(match[1]!);
    if (!(category in LOOKS)) {
      throw new ImageFetchError("http-status", `no sample image for category '${category}'`);
    }
    return { bytes: await renderProductImage(category, Number(match[2])), contentType: "image/webp" };
  };
}
