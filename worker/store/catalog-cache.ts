import type { Catalog } from "../../models/catalog/index.ts";
import { ARTIFACT_NAMES, type ArtifactEntry, type Manifest } from "../../models/contracts/index.ts";
import type { CatalogKernel } from "../../wasm/catalog-kernel.ts";
import { VersionedCache } from "../cache/versioned-cache.ts";
import { type CandidateGenerator, kernelCandidates } from "../decision/index.ts";
import { reserveCatalog } from "../runtime/int8-kernel.ts";
import { readChunkedBytesInto } from "./chunked-bytes.ts";

/** The manifest's artifact name for the item catalogue. */
export const catalogArtifact = ARTIFACT_NAMES.catalog;

export interface LoadedCatalog {
  version: string;
  /** Views of the kernel's memory: the catalogue's only copy in this isolate. */
  catalog: Catalog;
  kernel: CatalogKernel;
  candidates: CandidateGenerator;
}

/**
 * The item catalogue per published version: read from KV straight into a kernel's memory, decoded there in
 * place (views, no copy, nothing rebuilt: the id table, orders and index come with the bytes), once per
 * isolate, and shared by requests as a settled value (a failed load is retried after a pause). The current
 * and the previous version stay, so a request pinned to the previous release while the next one is adopted
 * still answers from its own catalogue.
 */
export class CatalogCache {
  readonly #cache = new VersionedCache<LoadedCatalog>();

  get(kv: KVNamespace, entry: ArtifactEntry): Promise<LoadedCatalog> {
    return this.#cache.get(entry.version, () => load(kv, entry));
  }

  /**
   * The manifest's catalogue, or null (with the reason logged) when it publishes none or it cannot be
   * read: the decision engine then answers empty and degraded instead of failing.
   */
  async of(kv: KVNamespace, manifest: Manifest | null): Promise<LoadedCatalog | null> {
    const entry = manifest?.artifacts?.[catalogArtifact];
    if (!entry) {
      return null;
    }
    try {
      return await this.get(kv, entry);
    } catch (error) {
      console.error(
        `catalog ${entry.version} unavailable: ${error instanceof Error ? error.message : error}`,
      );
      return null;
    }
  }

  /** The version this isolate serves, if loaded. */
  get loadedVersion(): string | null {
    return this.#cache.loadedVersion;
  }

  /** The memory of every catalogue kernel this isolate holds (the catalogues and their request regions). */
  get kernelBytes(): number {
    return this.#cache.values.reduce((sum, loaded) => sum + loaded.kernel.memoryBytes, 0);
  }
}

async function load(kv: KVNamespace, entry: ArtifactEntry): Promise<LoadedCatalog> {
  const reserved = reserveCatalog(entry.sizeBytes);
  await readChunkedBytesInto(kv, `catalog ${entry.version}`, entry, reserved.bytes);
  // The bytes matched the manifest's SHA-256, and the encoder checked every value before publishing them:
  // the load skips a pass over the items (nothing is rebuilt either: the orders, id table and index are
  // in the bytes).
  const kernel = reserved.finish({ trusted: true });
  return { version: entry.version, catalog: kernel.catalog, kernel, candidates: kernelCandidates(kernel) };
}
