/**
 * Manifests in the MODELS namespace: `manifest/<n>` keeps every release for rollback and
 * `manifest/current` is the one the edge reads. Each `manifest/<n>` carries a little metadata so
 * releases can be listed from one KV list call instead of one read per release.
 */
import { z } from "zod";
import { kvKeys, Manifest } from "../../models/contracts/index.ts";
import { type KvWriter, listAllKeys } from "./kv-writer.ts";
import { PublishError } from "./publish-error.ts";

export const ReleaseMetadata = Manifest.pick({
  publishedAt: true,
  previousVersion: true,
  restoredFrom: true,
});
export type ReleaseMetadata = z.infer<typeof ReleaseMetadata>;

/** A manifest key's content, or null when the key is absent; an unreadable manifest is an error. */
export async function readManifest(writer: KvWriter, key: string): Promise<Manifest | null> {
  const text = await writer.getText(key);
  if (text === null) {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PublishError(`${key} in KV is not JSON; fix or delete it before publishing`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    throw new PublishError(`${key} in KV is not a valid manifest: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function readCurrentManifest(writer: KvWriter): Promise<Manifest | null> {
  return readManifest(writer, kvKeys.currentManifest);
}

/** Every `manifest/<n>` key in ascending n, with its metadata when it has valid metadata. */
export async function listManifestKeys(
  writer: KvWriter,
): Promise<Array<{ version: number; metadata: ReleaseMetadata | null }>> {
  const listed = await listAllKeys(writer, kvKeys.manifestPrefix);
  return listed
    .map((key) => ({
      version: Number(key.name.slice(kvKeys.manifestPrefix.length)),
      metadata: ReleaseMetadata.safeParse(key.metadata).data ?? null,
    }))
    .filter((entry) => Number.isSafeInteger(entry.version) && entry.version >= 0)
    .sort((a, b) => a.version - b.version);
}

/**
 * The number for the next manifest: above the current one and above every `manifest/<n>` kept, so a
 * publish that stopped after writing `manifest/<n>` never has that key rewritten.
 */
export async function nextManifestVersion(writer: KvWriter, current: Manifest | null): Promise<number> {
  const kept = await listManifestKeys(writer);
  return Math.max(current?.version ?? 0, kept.at(-1)?.version ?? 0) + 1;
}

/**
 * Writes `manifest/<n>`, then (in a second call, so the order holds) `manifest/current`: the edge
 * switches when it next reads the pointer, after its MANIFEST_TTL_SECONDS.
 */
export async function writeManifest(writer: KvWriter, manifest: Manifest): Promise<void> {
  const text = JSON.stringify(manifest);
  const metadata: ReleaseMetadata = ReleaseMetadata.parse(manifest);
  await writer.putMany([{ key: kvKeys.manifest(manifest.version), value: text, metadata }]);
  await writer.putMany([{ key: kvKeys.currentManifest, value: text }]);
}
