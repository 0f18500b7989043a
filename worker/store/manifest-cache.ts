import { kvKeys, Manifest } from "../../models/contracts/index.ts";
import { PeerLoads } from "../cache/peer-loads.ts";

export interface ManifestCacheOptions {
  /**
   * Makes a newly read manifest servable before any request pins it (loads its catalogue); throws when
   * the release cannot be served, and the isolate then keeps the manifest it holds.
   */
  adopt?: (kv: KVNamespace, manifest: Manifest) => Promise<void>;
}

const readKey = "manifest/current";
/** Distinct bad manifests logged per isolate before the record starts over (a bound, not a policy). */
const maxReported = 64;
/** Distinct sightings remembered for early re-reads (see recheck); a bound on memory, not a policy. */
const maxSightings = 64;

/**
 * The manifest this isolate serves: re-read from KV once its TTL has passed, shared between requests
 * only as a settled value (a request that finds it stale reads KV itself; while one does, the others
 * keep answering from the held one). A request pins the manifest it gets for its whole answer.
 *
 * The last good manifest is kept when `manifest/current` turns unusable: not JSON, not a manifest, or a
 * release whose catalogue cannot be loaded (bytes missing or corrupt). Each bad version is logged once
 * per isolate; a good manifest written later is picked up on the next read.
 */
export class ManifestCache {
  #held: Manifest | null = null;
  /** The manifest served before #held: a request may answer from it whole while KV is mid-switch. */
  #previous: Manifest | null = null;
  /** An earlier release read from `manifest/<n>` for previousOf (null: it cannot be served). */
  #earlier: { version: number; manifest: Manifest | null } | null = null;
  /** The KV text #held was parsed from: an unchanged value costs no parse. */
  #heldText: string | null = null;
  #fetchedAtMs = Number.NEGATIVE_INFINITY;
  #completedReads = 0;
  /** What made this isolate re-read the manifest early, and when it last did. */
  readonly #sightings = new Set<string>();
  #lastRecheckMs = Number.NEGATIVE_INFINITY;
  readonly #peers = new PeerLoads();
  readonly #reported = new Set<string>();
  readonly #adopt: ManifestCacheOptions["adopt"];

  constructor(options: ManifestCacheOptions = {}) {
    this.#adopt = options.adopt;
  }

  /**
   * The release that served before `manifest` (its `previousVersion`), usable whole: the one this isolate
   * held before when it is that one, else `manifest/<n>` read from KV once per isolate (an isolate may never
   * have held it: a publish and a rollback can both land within one TTL). Null when it cannot be served.
   */
  async previousOf(kv: KVNamespace, manifest: Manifest): Promise<Manifest | null> {
    const version = manifest.previousVersion;
    if (version === undefined) {
      return null;
    }
    if (this.#previous?.version === version) {
      return this.#previous;
    }
    if (this.#earlier?.version === version) {
      return this.#earlier.manifest;
    }
    const loaded = await this.#readEarlier(kv, version);
    this.#earlier = { version, manifest: loaded };
    return loaded;
  }

  async #readEarlier(kv: KVNamespace, version: number): Promise<Manifest | null> {
    const text = await kv.get(kvKeys.manifest(version), "text");
    const parsed = text === null ? null : parseManifest(text);
    if (!parsed?.ok || parsed.manifest.version !== version) {
      return null;
    }
    try {
      await this.#adopt?.(kv, parsed.manifest);
      return parsed.manifest;
    } catch {
      return null;
    }
  }

  async current(kv: KVNamespace, ttlSeconds: number): Promise<Manifest | null> {
    if (Date.now() - this.#fetchedAtMs < ttlSeconds * 1000) {
      return this.#held;
    }
    return this.#read(kv);
  }

  /**
   * Reads `manifest/current` now, for a request that met data of a release this isolate does not serve:
   * the publisher writes users before the manifest, so KV runs ahead of the TTL. `sighting` names what it
   * met (a user embedding's version): a new sighting reads at once, a known one only when no early read
   * happened in the last `minIntervalMs`, so users left on older releases for good cost a few reads a
   * second at most, not one per request.
   */
  async recheck(kv: KVNamespace, sighting: string, minIntervalMs: number): Promise<Manifest | null> {
    const now = Date.now();
    if (this.#sightings.has(sighting) && now - this.#lastRecheckMs < minIntervalMs) {
      return this.#held;
    }
    if (this.#sightings.size >= maxSightings) {
      this.#sightings.clear();
    }
    this.#sightings.add(sighting);
    this.#lastRecheckMs = now;
    return this.#read(kv);
  }

  async #read(kv: KVNamespace): Promise<Manifest | null> {
    if (this.#peers.loading(readKey)) {
      if (this.#held) {
        // The previous release whole, rather than a second read of the same key.
        return this.#held;
      }
      const before = this.#completedReads;
      if (await this.#peers.waitFor(readKey, () => (this.#completedReads === before ? undefined : true))) {
        return this.#held;
      }
    }
    return this.#peers.run(readKey, () => this.#refresh(kv));
  }

  async #refresh(kv: KVNamespace): Promise<Manifest | null> {
    try {
      const text = await kv.get(kvKeys.currentManifest, "text");
      if (text === null) {
        // Deleted on purpose: nothing is published any more.
        this.#held = null;
        this.#heldText = null;
        return null;
      }
      if (text === this.#heldText) {
        return this.#held;
      }
      const parsed = parseManifest(text);
      if (!parsed.ok) {
        this.#reportOnce(`text:${fnv1a(text)}`, `manifest/current is ${parsed.reason}`);
        return this.#held;
      }
      const manifest = parsed.manifest;
      if (this.#adopt) {
        try {
          await this.#adopt(kv, manifest);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.#reportOnce(
            `release:${manifest.version}:${manifest.publishedAt}`,
            `manifest ${manifest.version} cannot be served (${message})`,
          );
          if (this.#held) {
            return this.#held;
          }
          // Nothing better to serve: its routes answer degraded until its bytes arrive.
        }
      }
      if (this.#held && this.#held.version !== manifest.version) {
        this.#previous = this.#held;
      }
      this.#held = manifest;
      this.#heldText = text;
      return manifest;
    } finally {
      this.#fetchedAtMs = Date.now();
      this.#completedReads += 1;
    }
  }

  #reportOnce(key: string, problem: string): void {
    if (this.#reported.has(key)) {
      return;
    }
    if (this.#reported.size >= maxReported) {
      this.#reported.clear();
    }
    this.#reported.add(key);
    const serving = this.#held ? `manifest ${this.#held.version}` : "nothing";
    console.error(`${problem}; this isolate keeps serving ${serving}`);
  }
}

type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; reason: string };

function parseManifest(text: string): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not valid JSON" };
  }
  const parsed = Manifest.safeParse(raw);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, reason: `not a valid manifest: ${parsed.error.message}` };
}

/** A cheap fingerprint of a bad value, so the same corruption is logged once. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0).toString(16);
}
