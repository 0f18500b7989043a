import { type ArtifactEntry, type ContentVectors, kvKeys } from "../../../models/contracts/index.ts";
import { chunkedBlob } from "./byte-chunks.ts";

/** A binary blob published with the models, such as an item catalogue the edge reads. */
export interface NamedArtifact {
  name: string;
  version: string;
  bytes: Uint8Array;
  /** For a catalogue with content vectors: what they are made of, recorded on its manifest entry. */
  contentVectors?: ContentVectors;
}

export interface ArtifactUpload {
  name: string;
  entry: ArtifactEntry;
  chunks: Array<{ key: string; value: Uint8Array }>;
}

/** Chunks an artifact under KV's value limit and describes it for the manifest, as for models. */
export async function prepareArtifactUpload(
  artifact: NamedArtifact,
  options: { chunkBytes?: number } = {},
): Promise<ArtifactUpload> {
  const { chunks, blob } = await chunkedBlob(
    artifact.bytes,
    (index) => kvKeys.artifactChunk(artifact.name, artifact.version, index),
    options.chunkBytes,
  );
  const entry: ArtifactEntry = {
    version: artifact.version,
    ...blob,
    ...(artifact.contentVectors ? { contentVectors: artifact.contentVectors } : {}),
  };
  return { name: artifact.name, entry, chunks };
}
