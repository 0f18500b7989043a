import { descriptorVector, ImageDecodeError } from "./describe-image.ts";
import { contentHash, type ImageDescriptorCache } from "./descriptor-cache.ts";
import {
  type FetchedImage,
  fetchImageIfChanged,
  type ImageFetchPolicy,
  type ImageFreshness,
} from "./fetch-image.ts";
import type { CachedDescription, CachedUrl, ImageCacheStore } from "./image-cache.ts";
import type { ImageEncoder } from "./image-encoder-spec.ts";

/** An item image as a run uses it: its description, the encoder's embedding when one runs. */
export interface ResolvedImage {
  sha256: string;
  description: CachedDescription;
  embedding?: Float32Array;
  /** taken from the cache without downloading the image (still fresh, or answered 304) */
  reused: boolean;
}

/** The encoder failed on an image it could decode: counted apart from fetch and decode failures. */
export class EncoderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncoderError";
  }
}

export interface ImageResolverOptions {
  policy: ImageFetchPolicy;
  /** replaces the guarded fetch (the sample shop answers its own host); no conditional requests then */
  fetch?: (url: string) => Promise<FetchedImage>;
  descriptors: ImageDescriptorCache;
  encoder?: ImageEncoder;
  /** kept between runs; absent, every run fetches and describes every image */
  store?: ImageCacheStore;
  /** how long an HTTP answer without max-age or Expires is reused before asking again */
  maxAgeSeconds: number;
  now: () => number;
}

/**
 * Resolves image URLs to descriptions, each URL once per run and each distinct image (by content) described
 * and encoded once. With a store, an http(s) URL answered within its lifetime (its max-age, or
 * `maxAgeSeconds`) is not fetched at all; past it, it is asked again with its ETag and Last-Modified and a
 * 304 reuses the description. `file:` and `data:` images are read every run (cheap), but an image whose
 * content was described before, from any URL, is not decoded again.
 */
export function imageResolver(o: ImageResolverOptions): (url: string) => Promise<ResolvedImage> {
  const byUrl = new Map<string, Promise<ResolvedImage>>();
  const descriptions = new Map<string, Promise<CachedDescription>>();
  const embeddings = new Map<string, Promise<Float32Array>>();
  const encoderKey = o.encoder?.cacheKey;
  const isHttp = (url: string) => /^https?:/i.test(url);

  const describe = (sha256: string, bytes: Uint8Array): Promise<CachedDescription> => {
    let description = descriptions.get(sha256);
    if (description === undefined) {
      description = (async () => {
        const stored = await o.store?.description(sha256);
        if (stored) {
          return stored;
        }
        const descriptors = await o.descriptors.get(bytes);
        const fresh = { vector: descriptorVector(descriptors), perceptualHash: descriptors.perceptualHash };
        await o.store?.putDescription(sha256, fresh);
        return fresh;
      })();
      descriptions.set(sha256, description);
    }
    return description;
  };
  const encode = (sha256: string, bytes: Uint8Array): Promise<Float32Array> => {
    let embedding = embeddings.get(sha256);
    if (embedding === undefined) {
      embedding = (async () => {
        const stored = encoderKey === undefined ? null : await o.store?.embedding(sha256, encoderKey);
        if (stored) {
          return stored;
        }
        const [row] = await o.encoder!.encode([bytes]).catch((error: unknown) => {
          throw error instanceof ImageDecodeError ? error : new EncoderError((error as Error).message);
        });
        if (encoderKey !== undefined) {
          await o.store?.putEmbedding(sha256, encoderKey, row!);
        }
        return row!;
      })();
      embeddings.set(sha256, embedding);
    }
    return embedding;
  };
  /** The cached description (and embedding, when an encoder runs and its embeddings are kept), or null. */
  const cached = async (sha256: string): Promise<ResolvedImage | null> => {
    const description = await o.store?.description(sha256);
    if (!description) {
      return null;
    }
    if (!o.encoder) {
      return { sha256, description, reused: true };
    }
    const embedding = encoderKey === undefined ? null : await o.store?.embedding(sha256, encoderKey);
    return embedding ? { sha256, description, embedding, reused: true } : null;
  };
  const fromBytes = async (url: string, image: FetchedImage): Promise<ResolvedImage> => {
    const sha256 = contentHash(image.bytes);
    const description = await describe(sha256, image.bytes);
    const embedding = o.encoder ? await encode(sha256, image.bytes) : undefined;
    if (o.store && isHttp(url) && !image.freshness?.noStore) {
      await o.store.putUrl(urlEntry(url, sha256, image.freshness, o));
    }
    return { sha256, description, ...(embedding ? { embedding } : {}), reused: false };
  };
  const resolve = async (url: string): Promise<ResolvedImage> => {
    if (o.fetch) {
      const known = o.store && isHttp(url) ? await o.store.url(url) : null;
      const reuse = known && known.freshUntilMs > o.now() ? await cached(known.sha256) : null;
      return reuse ?? fromBytes(url, await o.fetch(url));
    }
    const known = o.store && isHttp(url) ? await o.store.url(url) : null;
    const reuse = known ? await cached(known.sha256) : null;
    if (known && reuse && known.freshUntilMs > o.now()) {
      return reuse;
    }
    const answer = await fetchImageIfChanged(url, o.policy, reuse && known ? known : {});
    if (answer.changed) {
      return fromBytes(url, answer.image);
    }
    // 304: the same image; keep its validators, take its new lifetime
    await o.store!.putUrl(urlEntry(url, known!.sha256, { ...known!, ...answer.freshness }, o));
    return reuse!;
  };
  return (url) => {
    let result = byUrl.get(url);
    if (result === undefined) {
      result = resolve(url);
      byUrl.set(url, result);
    }
    return result;
  };
}

function urlEntry(
  url: string,
  sha256: string,
  freshness: Partial<ImageFreshness> | undefined,
  o: Pick<ImageResolverOptions, "maxAgeSeconds" | "now">,
): CachedUrl {
  const seconds = freshness?.maxAgeSeconds ?? o.maxAgeSeconds;
  return {
    url,
    sha256,
    ...(freshness?.etag === undefined ? {} : { etag: freshness.etag }),
    ...(freshness?.lastModified === undefined ? {} : { lastModified: freshness.lastModified }),
    freshUntilMs: o.now() + seconds * 1000,
  };
}
