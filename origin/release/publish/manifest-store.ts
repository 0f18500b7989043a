/**
 * Manifests in the MODELS namespace: `manifest/<n>` keeps every release for rollback and
 * `manifest/current` is the one the edge reads. Each `manifest/<n>` carries a little metadata so
 * releases can be listed from one KV list call instead of one read per release.
 */
import { z } from "zod";
import { kvKeys, Manifest } from "../../../models/contracts/index.ts";
import { publishesTotal } from "../../metrics.ts";
import { type KvWriter, listAllKeys } from "./kv-writer.ts";
import { PublishError } from "./publish-error.ts";

export const ReleaseMetadata = Manifest.pick({
  publishedAt: true,
  previousVersion: true,
  restoredFrom: true,
});
export type ReleaseMetadata = z.infer<typeof ReleaseMetadata>;

/** A manifest key holds something that is not a manifest (not JSON, or failing the schema). */
export class UnreadableManifestError extends PublishError {
  readonly key: string;
  /** Why, in a few words: "not JSON", "not a valid manifest: ✖ Invalid input … → at models". */
  readonly reason: string;

  constructor(key: string, reason: string) {
    super(`${key} in KV is ${reason}`);
    this.name = "UnreadableManifestError";
    this.key = key;
    this.reason = reason;
  }
}

/** A manifest key's content, or null when the key is absent; throws UnreadableManifestError otherwise. */
export async function readManifest(writer: KvWriter, key: string): Promise<Manifest | null> {
  const text = await writer.getText(key);
  if (text === null) {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnreadableManifestError(key, "not JSON");
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    // On one line and short: a manifest of garbage fails every field, and this ends up in a log line.
    const issues = z.prettifyError(parsed.error).replace(/\s*\n\s*/g, " ");
    const shown = issues.length > 200 ? `${issues.slice(0, 200)}…` : issues;
    throw new UnreadableManifestError(key, `not a valid manifest: ${shown}`);
  }
  return parsed.data;
}

export function readCurrentManifest(writer: KvWriter): Promise<Manifest | null> {
  return readManifest(writer, kvKeys.currentManifest);
}

/** How an unreadable `manifest/current` was stood in for: why, and by which kept release (null: none). */
export interface ManifestRepair {
  reason: string;
  fromVersion: number | null;
  /** One line for a person: what was wrong and what the write about to happen does about it. */
  message: string;
}

export interface ServingManifest {
  /** The release serving now, or the kept release standing in for an unreadable pointer; null: none. */
  manifest: Manifest | null;
  /** Set when `manifest/current` was unreadable. */
  repair?: ManifestRepair;
}

/**
 * The release serving now, for a writer about to write the next manifest (publish, rollback). An
 * unreadable `manifest/current` does not stop it: the next write replaces the pointer, so the newest
 * readable `manifest/<n>` stands in for it (every writer writes `manifest/<n>` before the pointer, so
 * that is the last release written; an edge that still holds a good manifest serves one no newer).
 * With no readable release kept, the next manifest starts afresh above every kept number.
 */
export async function readServingManifest(writer: KvWriter): Promise<ServingManifest> {
  try {
    return { manifest: await readCurrentManifest(writer) };
  } catch (error) {
    if (!(error instanceof UnreadableManifestError)) {
      throw error;
    }
    const standIn = await newestReadableManifest(writer);
    const fromVersion = standIn?.version ?? null;
    const message =
      fromVersion === null
        ? `${error.message}; no readable manifest/<n> is kept, so this release is written afresh`
        : `${error.message}; rewriting it from manifest/${fromVersion}, the newest readable release`;
    return { manifest: standIn, repair: { reason: error.reason, fromVersion, message } };
  }
}

/** As readManifest, but null for an unreadable manifest as for an absent one. */
export function readManifestIfReadable(writer: KvWriter, key: string): Promise<Manifest | null> {
  return readManifest(writer, key).catch((error: unknown) => {
    if (error instanceof UnreadableManifestError) {
      return null;
    }
    throw error;
  });
}

async function newestReadableManifest(writer: KvWriter): Promise<Manifest | null> {
  const kept = await listManifestKeys(writer);
  for (const { version } of kept.reverse()) {
    const manifest = await readManifestIfReadable(writer, kvKeys.manifest(version));
    if (manifest !== null && manifest.version === version) {
      return manifest;
    }
  }
  return null;
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
  publishesTotal.inc();
}
