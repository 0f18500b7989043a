import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** What a run learned about one image URL: the content it served and when to ask again. */
export interface CachedUrl {
  url: string;
  /** sha256 of the bytes it served last */
  sha256: string;
  etag?: string;
  lastModified?: string;
  /** until then the URL is not asked again (epoch ms) */
  freshUntilMs: number;
}

/** An image's descriptor vector and perceptual hash, which is all a run keeps of its pixels. */
export interface CachedDescription {
  vector: Float32Array;
  perceptualHash: string;
}

/**
 * Image work kept between training runs, so a run over a million items does not fetch and describe a
 * million images again: URLs with their content hash and HTTP validators, descriptions by content hash,
 * and encoder embeddings by content hash and encoder. Everything in it can be recomputed; a missing or
 * unreadable entry is a miss.
 */
export interface ImageCacheStore {
  url(url: string): Promise<CachedUrl | null>;
  putUrl(entry: CachedUrl): Promise<void>;
  description(sha256: string): Promise<CachedDescription | null>;
  putDescription(sha256: string, description: CachedDescription): Promise<void>;
  embedding(sha256: string, encoderKey: string): Promise<Float32Array | null>;
  putEmbedding(sha256: string, encoderKey: string, embedding: Float32Array): Promise<void>;
}

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");
const PHASH_CHARS = 16;

/**
 * The store as files under `dir` (IMAGE_CACHE_DIR): `urls/ab/<sha256 of the URL>.json`,
 * `descriptions/ab/<content sha256>.bin` (the 16-character hash, then the float32 vector) and
 * `embeddings/<encoder key>/ab/<content sha256>.f32`, two hex digits of fan-out so no directory grows past
 * a few thousand entries per million images. Writes go to a temporary name and are renamed into place, so
 * a reader never sees half a file; concurrent runs at worst write the same entry twice.
 */
export function fileImageCache(dir: string): ImageCacheStore {
  const file = (kind: string, key: string, extension: string) =>
    path.join(dir, kind, key.slice(0, 2), `${key}${extension}`);
  const read = async (target: string): Promise<Buffer | null> => {
    try {
      return await readFile(target);
    } catch {
      return null;
    }
  };
  const write = async (target: string, data: string | Uint8Array) => {
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
  };
  const embeddingFile = (sha256: string, encoderKey: string) =>
    file(path.join("embeddings", sha256Hex(encoderKey).slice(0, 16)), sha256, ".f32");
  return {
    async url(url) {
      const bytes = await read(file("urls", sha256Hex(url), ".json"));
      if (bytes === null) {
        return null;
      }
      try {
        const entry = JSON.parse(bytes.toString("utf8")) as CachedUrl;
        return entry.url === url && /^[0-9a-f]{64}$/.test(entry.sha256) ? entry : null;
      } catch {
        return null;
      }
    },
    putUrl: (entry) => write(file("urls", sha256Hex(entry.url), ".json"), JSON.stringify(entry)),
    async description(sha256) {
      const bytes = await read(file("descriptions", sha256, ".bin"));
      if (bytes === null || bytes.length <= PHASH_CHARS || (bytes.length - PHASH_CHARS) % 4 !== 0) {
        return null;
      }
      return {
        perceptualHash: bytes.subarray(0, PHASH_CHARS).toString("latin1"),
        vector: new Float32Array(
          bytes.buffer.slice(bytes.byteOffset + PHASH_CHARS, bytes.byteOffset + bytes.length),
        ),
      };
    },
    putDescription: (sha256, { vector, perceptualHash }) =>
      write(
        file("descriptions", sha256, ".bin"),
        Buffer.concat([
          Buffer.from(perceptualHash, "latin1"),
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        ]),
      ),
    async embedding(sha256, encoderKey) {
      const bytes = await read(embeddingFile(sha256, encoderKey));
      if (bytes === null || bytes.length === 0 || bytes.length % 4 !== 0) {
        return null;
      }
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    },
    putEmbedding: (sha256, encoderKey, embedding) =>
      write(
        embeddingFile(sha256, encoderKey),
        Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength),
      ),
  };
}
