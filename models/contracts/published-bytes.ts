/**
 * Reads a published blob (a model or an artifact: one or more KV chunks, in order) and checks it against
 * the manifest's size and sha256, so a torn or corrupt upload is refused before anything parses it. The
 * edge serves what it reads; the origin carries bytes into a new release or restores them in a rollback.
 */
import type { ArtifactEntry } from "./manifest.ts";
import { sha256Hex } from "./sha256-hex.ts";

/** The one KV operation reading needs: the origin's KV clients have it, the edge adapts KVNamespace. */
export interface KvBytesReader {
  /** The value's bytes, or null when the key is absent. */
  getBytes(key: string): Promise<Uint8Array | null>;
}

export type PublishedBlob = Pick<ArtifactEntry, "keys" | "sizeBytes" | "sha256">;

export class PublishedBytesError extends Error {
  readonly code: "bytes_missing" | "checksum_mismatch";

  constructor(message: string, code: PublishedBytesError["code"]) {
    super(message);
    this.name = "PublishedBytesError";
    this.code = code;
  }
}

/** The blob's bytes; throws a PublishedBytesError when a chunk is absent or the bytes are not the manifest's. */
export async function readPublishedBytes(
  kv: KvBytesReader,
  label: string,
  blob: PublishedBlob,
): Promise<Uint8Array> {
  const chunks = await Promise.all(blob.keys.map((key) => kv.getBytes(key)));
  const bytes = new Uint8Array(blob.sizeBytes);
  let offset = 0;
  for (const [index, chunk] of chunks.entries()) {
    if (chunk === null) {
      throw new PublishedBytesError(
        `${label}: chunk ${blob.keys[index]} is not in KV (yet)`,
        "bytes_missing",
      );
    }
    if (offset + chunk.byteLength > bytes.length) {
      throw new PublishedBytesError(
        `${label}: its chunks hold more than the ${blob.sizeBytes} bytes the manifest names`,
        "checksum_mismatch",
      );
    }
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (offset !== bytes.length || (await sha256Hex(bytes)) !== blob.sha256) {
    throw new PublishedBytesError(
      `${label}: the bytes in KV do not match the manifest's size and sha256`,
      "checksum_mismatch",
    );
  }
  return bytes;
}

/** Streaming reads: the edge's KV adapter has it, so a large blob never sits in memory twice. */
export interface KvStreamReader {
  /** The value as a byte stream (read through a BYOB reader, as KV's streams are), or null when absent. */
  getStream(key: string): Promise<ReadableStream<Uint8Array> | null>;
}

/**
 * The most bytes one read moves. workerd's KV streams yield 4 KiB at a time: a read, a copy and a hash write
 * per 4 KiB took 5 s for a 122 MiB catalogue, where reads that fill this buffer take about five hundred
 * round trips. Two of them (one filling while the other is copied and hashed), no larger than what is left
 * of the blob, are a load's only transient memory.
 */
export const READ_BUFFER_BYTES = 1 << 18;

/** A BYOB reader with the Streams standard's `min` (workerd and Node have it; workers-types omits it). */
interface FillingReader {
  read(
    view: Uint8Array<ArrayBuffer>,
    options: { min: number },
  ): Promise<{ done: boolean; value?: Uint8Array<ArrayBuffer> }>;
  cancel(): Promise<void>;
}

/** workerd's incremental SHA-256 (a Cloudflare extension of Web Crypto), when this runtime has it. */
type DigestStreamClass = new (
  algorithm: string,
) => WritableStream<ArrayBufferView> & { digest: Promise<ArrayBuffer> };

/**
 * Reads a blob's chunks straight into `target` (exactly `blob.sizeBytes` long: the edge passes a region of
 * its kernel's memory), and checks size and SHA-256 like readPublishedBytes. The hash is computed as the
 * chunks stream past where the runtime can (workerd's DigestStream); elsewhere over `target` at the end.
 *
 * Reads are BYOB reads that fill a buffer each, double-buffered: the next read is under way while one
 * buffer is copied and hashed, and the next chunk's stream is opened while one chunk is read. A BYOB read
 * hands its buffer over and gets it back in the value, and wasm memory can't be handed over: hence the
 * copy into `target`.
 */
export async function readPublishedBytesInto(
  kv: KvStreamReader,
  label: string,
  blob: PublishedBlob,
  target: Uint8Array,
): Promise<void> {
  if (target.length !== blob.sizeBytes) {
    throw new RangeError(`${label}: the target holds ${target.length} bytes, the blob ${blob.sizeBytes}`);
  }
  const DigestStream = (crypto as unknown as { DigestStream?: DigestStreamClass }).DigestStream;
  const digest = DigestStream ? new DigestStream("SHA-256") : null;
  const hasher = digest?.getWriter();
  // A read asks for what is left of the blob, up to a buffer: a small blob costs one buffer of its size.
  let spare: Uint8Array<ArrayBuffer> | null = null;
  const buffer = (from: number) => {
    const bytes = Math.max(1, Math.min(READ_BUFFER_BYTES, blob.sizeBytes - from));
    return spare !== null && spare.length >= bytes ? spare.subarray(0, bytes) : new Uint8Array(bytes);
  };
  let offset = 0;
  let nextStream = blob.keys.length > 0 ? kv.getStream(blob.keys[0]!) : null;
  for (const [k, key] of blob.keys.entries()) {
    const stream = await nextStream;
    nextStream = k + 1 < blob.keys.length ? kv.getStream(blob.keys[k + 1]!) : null;
    if (stream == null) {
      await nextStream?.then((next) => next?.cancel());
      throw new PublishedBytesError(`${label}: chunk ${key} is not in KV (yet)`, "bytes_missing");
    }
    const reader = stream.getReader({ mode: "byob" }) as unknown as FillingReader;
    // `min` waits until a buffer is full; the stream's last read may carry bytes together with `done`.
    const first = buffer(offset);
    spare = null;
    let pending = reader.read(first, { min: first.length });
    for (let done = false; !done; ) {
      const read = await pending;
      done = read.done;
      const value = read.value;
      if (!done) {
        const next = buffer(offset + (value?.byteLength ?? 0));
        spare = null;
        pending = reader.read(next, { min: next.length });
      }
      if (value === undefined) {
        break;
      }
      if (offset + value.byteLength > target.length) {
        await reader.cancel();
        await nextStream?.then((next) => next?.cancel());
        throw new PublishedBytesError(
          `${label}: its chunks hold more than the ${blob.sizeBytes} bytes the manifest names`,
          "checksum_mismatch",
        );
      }
      target.set(value, offset);
      offset += value.byteLength;
      await hasher?.write(value);
      spare = new Uint8Array(value.buffer);
    }
  }
  let hex: string;
  if (hasher && digest) {
    await hasher.close();
    hex = Array.from(new Uint8Array(await digest.digest), (byte) => byte.toString(16).padStart(2, "0")).join(
      "",
    );
  } else {
    hex = await sha256Hex(target);
  }
  if (offset !== target.length || hex !== blob.sha256) {
    throw new PublishedBytesError(
      `${label}: the bytes in KV do not match the manifest's size and sha256`,
      "checksum_mismatch",
    );
  }
}
