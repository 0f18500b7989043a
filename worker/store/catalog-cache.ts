import { type Catalog, decodeCatalog } from "../../models/catalog/index.ts";
import type { ArtifactEntry } from "../../models/contracts/index.ts";
import type { CandidateScorer } from "../decision/index.ts";
import { kernelScorerFor } from "../runtime/int8-kernel.ts";
import { readChunkedBytes } from "./chunked-bytes.ts";

/** The manifest's artifact name for the item catalogue. */
export const catalogArtifact = "catalog";

export interface LoadedCatalog {
  version: string;
  catalog: Catalog;
  /** Null when the catalogue carries no item embeddings (popularity-only answers). */
  scorer: CandidateScorer | null;
  /** Scores against the content vectors (cold-start items, similar items), when published. */
  contentScorer: CandidateScorer | null;
}

/**
 * The decoded item catalogue of the current manifest, one version per isolate: decoded and loaded
 * into the kernel once, shared by concurrent requests. A failure is remembered for a short time so
 * a corrupt upload costs one read per retry period, not one per request.
 */
export class CatalogCache {
  #loaded: { version: string; pending: Promise<LoadedCatalog> } | null = null;
  #failure: { version: string; error: Error; retryAtMs: number } | null = null;
  static readonly retryAfterFailureMs = 30_000;

  async get(kv: KVNamespace, entry: ArtifactEntry): Promise<LoadedCatalog> {
    if (this.#loaded?.version === entry.version) {
      return this.#loaded.pending;
    }
    const failure = this.#failure;
    if (failure?.version === entry.version && Date.now() < failure.retryAtMs) {
      throw failure.error;
    }
    const pending = load(kv, entry);
    this.#loaded = { version: entry.version, pending };
    try {
      return await pending;
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      if (this.#loaded?.pending === pending) {
        this.#loaded = null;
      }
      this.#failure = {
        version: entry.version,
        error: reason,
        retryAtMs: Date.now() + CatalogCache.retryAfterFailureMs,
      };
      throw reason;
    }
  }

  /** The version this isolate serves, if loaded. */
  get loadedVersion(): string | null {
    return this.#loaded?.version ?? null;
  }
}

async function load(kv: KVNamespace, entry: ArtifactEntry): Promise<LoadedCatalog> {
  const bytes = await readChunkedBytes(kv, `catalog ${entry.version}`, entry);
  const catalog = decodeCatalog(bytes);
  return {
    version: entry.version,
    catalog,
    scorer: catalog.embedding ? kernelScorerFor(catalog.embedding) : null,
    contentScorer: catalog.content ? kernelScorerFor(catalog.content) : null,
  };
}
