import { createHash } from "node:crypto";
import { describeImage, type ImageDescriptors } from "./describe-image.ts";

/** sha256 of an image's bytes, hex: the key its descriptors are cached under. */
export function contentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Descriptors keyed by the image's content hash, so an image shared by many items (or fetched from several
 * URLs) is decoded once. A failed decode is not cached as a success: the next caller gets the same error.
 * Holds the descriptors it computed until dropped; one cache lives for one training run.
 */
export class ImageDescriptorCache {
  readonly #entries = new Map<string, Promise<ImageDescriptors>>();
  readonly #describe: (bytes: Uint8Array) => Promise<ImageDescriptors>;
  #decoded = 0;

  constructor(describe: (bytes: Uint8Array) => Promise<ImageDescriptors> = describeImage) {
    this.#describe = describe;
  }

  get(bytes: Uint8Array): Promise<ImageDescriptors> {
    const key = contentHash(bytes);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#decoded++;
      entry = this.#describe(bytes);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** distinct images described so far */
  get decoded(): number {
    return this.#decoded;
  }
}
