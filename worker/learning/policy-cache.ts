/**
 * The published bandit policies (the `bandit` artifact) as one isolate holds them: the bundle is read
 * and parsed once per version, and each policy's A is inverted only when a request first needs it (a
 * surface's isolates rarely serve every surface), then kept for the version's lifetime.
 */
import {
  BANDIT_ARTIFACT,
  type BanditPolicy,
  banditPolicyFromFile,
  decodePolicyBundle,
} from "../../models/bandit/index.ts";
import type { ArtifactEntry, Manifest } from "../../models/contracts/index.ts";
import { VersionedCache } from "../cache/versioned-cache.ts";
import { readChunkedBytes } from "../store/chunked-bytes.ts";

export interface LoadedPolicies {
  /** The artifact's version: the learning run that published it. */
  version: string;
  /** The published policy with this id, or null when the bundle holds none. */
  policy(id: string): BanditPolicy | null;
}

export class PolicyCache {
  readonly #cache = new VersionedCache<LoadedPolicies>();

  /** The manifest's policies; null when it publishes none. Throws when they cannot be read. */
  async forManifest(kv: KVNamespace, manifest: Manifest | null): Promise<LoadedPolicies | null> {
    const entry = manifest?.artifacts?.[BANDIT_ARTIFACT];
    return entry ? this.#cache.get(entry.version, () => load(kv, entry)) : null;
  }
}

async function load(kv: KVNamespace, entry: ArtifactEntry): Promise<LoadedPolicies> {
  const bundle = decodePolicyBundle(await readChunkedBytes(kv, `bandit policies ${entry.version}`, entry));
  const decoded = new Map<string, BanditPolicy>();
  return {
    version: entry.version,
    policy(id) {
      let policy = decoded.get(id);
      if (policy === undefined) {
        const file = Object.hasOwn(bundle.policies, id) ? bundle.policies[id] : undefined;
        if (file === undefined) {
          return null;
        }
        policy = banditPolicyFromFile(file);
        decoded.set(id, policy);
      }
      return policy;
    },
  };
}
