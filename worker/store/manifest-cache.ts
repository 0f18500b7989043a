import { kvKeys, Manifest } from "../../models/contracts/index.ts";
import { readJson } from "./read-json.ts";

/**
 * Holds the current manifest for a short TTL so the request path does not read it from KV each
 * time. A manifest that fails to parse is treated as absent (and logged) rather than failing
 * requests: the edge keeps whatever it last served.
 */
export class ManifestCache {
  #manifest: Manifest | null = null;
  #fetchedAtMs = Number.NEGATIVE_INFINITY;
  #pending: Promise<Manifest | null> | null = null;

  async current(kv: KVNamespace, ttlSeconds: number): Promise<Manifest | null> {
    if (Date.now() - this.#fetchedAtMs < ttlSeconds * 1000) {
      return this.#manifest;
    }
    this.#pending ??= this.#refresh(kv).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #refresh(kv: KVNamespace): Promise<Manifest | null> {
    const raw = await readJson(kv, kvKeys.currentManifest);
    this.#fetchedAtMs = Date.now();
    if (raw === null) {
      this.#manifest = null;
      return null;
    }
    const parsed = Manifest.safeParse(raw);
    if (!parsed.success) {
      console.error(`ignoring invalid manifest in KV: ${parsed.error.message}`);
      return this.#manifest;
    }
    this.#manifest = parsed.data;
    return this.#manifest;
  }
}
