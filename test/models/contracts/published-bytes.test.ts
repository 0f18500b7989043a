import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  eventIdOf,
  type KvBytesReader,
  type KvStreamReader,
  PublishedBytesError,
  READ_BUFFER_BYTES,
  readPublishedBytes,
  readPublishedBytesInto,
  sha256Hex,
} from "../../../models/contracts/index.ts";

function memoryKv(entries: Record<string, Uint8Array>): KvBytesReader {
  return { getBytes: async (key) => entries[key] ?? null };
}

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
const nodeHex = (value: Uint8Array | string) => createHash("sha256").update(value).digest("hex");

describe("sha256Hex", () => {
  it("gives the same 64 hex digits as Node's hash for bytes and for a string's UTF-8", async () => {
    expect(await sha256Hex(bytes)).toBe(nodeHex(bytes));
    expect(await sha256Hex("caf\u00e9 \u{1f600}")).toBe(nodeHex("caf\u00e9 \u{1f600}"));
    expect(await sha256Hex(new Uint8Array(0))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hashes only a view's own bytes, not the rest of its buffer", async () => {
    const view = new Uint8Array(bytes.buffer, 10, 20);
    expect(await sha256Hex(view)).toBe(nodeHex(bytes.slice(10, 30)));
  });
});

describe("readPublishedBytes", () => {
  const blob = { keys: ["c/0", "c/1", "c/2"], sizeBytes: bytes.length, sha256: nodeHex(bytes) };
  const chunks = { "c/0": bytes.slice(0, 128), "c/1": bytes.slice(128, 256), "c/2": bytes.slice(256) };

  it("reassembles the chunks in the manifest's order", async () => {
    expect(await readPublishedBytes(memoryKv(chunks), "blob", blob)).toEqual(bytes);
  });

  it("refuses a missing chunk as bytes_missing, naming the key", async () => {
    const { "c/1": _, ...rest } = chunks;
    const read = readPublishedBytes(memoryKv(rest), "blob", blob);
    await expect(read).rejects.toBeInstanceOf(PublishedBytesError);
    await expect(read).rejects.toMatchObject({
      code: "bytes_missing",
      message: expect.stringContaining("c/1"),
    });
  });

  it("refuses chunks that are too long, too short or altered as checksum_mismatch", async () => {
    const altered = chunks["c/2"].slice();
    altered[0] = (altered[0]! + 1) % 256;
    for (const kv of [
      { ...chunks, "c/2": bytes.slice(250) },
      { ...chunks, "c/2": bytes.slice(256, 290) },
      { ...chunks, "c/2": altered },
    ]) {
      await expect(readPublishedBytes(memoryKv(kv), "blob", blob)).rejects.toMatchObject({
        code: "checksum_mismatch",
      });
    }
  });
});

/** KV values as byte streams that yield `pieceBytes` at a time, as workerd's KV streams yield 4 KiB. */
function streamKv(entries: Record<string, Uint8Array>, pieceBytes: number): KvStreamReader {
  return {
    getStream: async (key) => {
      const value = entries[key];
      if (value === undefined) {
        return null;
      }
      let at = 0;
      return new ReadableStream({
        type: "bytes",
        pull(controller) {
          if (at >= value.length) {
            controller.close();
            controller.byobRequest?.respond(0);
            return;
          }
          controller.enqueue(value.slice(at, at + pieceBytes));
          at += pieceBytes;
        },
      });
    },
  };
}

describe("readPublishedBytesInto", () => {
  // Over two read buffers, in chunks that end inside a buffer, streamed in pieces of a few bytes.
  const large = Uint8Array.from(
    { length: 2 * READ_BUFFER_BYTES + 12_345 },
    (_, i) => (i * 31 + (i >> 9)) % 256,
  );
  const cut = [0, Math.floor(READ_BUFFER_BYTES * 0.7) + 1, READ_BUFFER_BYTES + 3, large.length];
  const keys = ["l/0", "l/1", "l/2"];
  const chunks = Object.fromEntries(keys.map((key, i) => [key, large.slice(cut[i], cut[i + 1])]));
  const blob = { keys, sizeBytes: large.length, sha256: nodeHex(large) };

  it("reassembles the chunks in the manifest's order into the target, whatever pieces the streams yield", async () => {
    for (const pieceBytes of [4096, 1021, READ_BUFFER_BYTES * 3]) {
      const target = new Uint8Array(large.length);
      await readPublishedBytesInto(streamKv(chunks, pieceBytes), "blob", blob, target);
      expect(Buffer.from(target).equals(Buffer.from(large))).toBe(true);
    }
  });

  it("reads a blob smaller than one read buffer", async () => {
    const target = new Uint8Array(bytes.length);
    const small = { keys: ["s/0", "s/1"], sizeBytes: bytes.length, sha256: nodeHex(bytes) };
    await readPublishedBytesInto(
      streamKv({ "s/0": bytes.slice(0, 100), "s/1": bytes.slice(100) }, 9),
      "blob",
      small,
      target,
    );
    expect(target).toEqual(bytes);
  });

  it("refuses a missing chunk as bytes_missing, naming the key", async () => {
    const { "l/1": _, ...rest } = chunks;
    const read = readPublishedBytesInto(streamKv(rest, 4096), "blob", blob, new Uint8Array(large.length));
    await expect(read).rejects.toMatchObject({
      code: "bytes_missing",
      message: expect.stringContaining("l/1"),
    });
  });

  it("refuses chunks that are too long, too short or altered as checksum_mismatch", async () => {
    const altered = chunks["l/2"]!.slice();
    altered[altered.length - 1] = (altered[altered.length - 1]! + 1) % 256;
    for (const kv of [
      { ...chunks, "l/2": large.slice(cut[2]! - 10) },
      { ...chunks, "l/2": large.slice(cut[2], large.length - 1) },
      { ...chunks, "l/2": altered },
    ]) {
      const read = readPublishedBytesInto(streamKv(kv, 4096), "blob", blob, new Uint8Array(large.length));
      await expect(read).rejects.toMatchObject({ code: "checksum_mismatch" });
    }
  });
});

describe("eventIdOf", () => {
  it("names a record by a string event_id and gives null for anything else", () => {
    expect(eventIdOf({ event_id: "e-1" })).toBe("e-1");
    expect(eventIdOf({ event_id: 7 })).toBeNull();
    expect(eventIdOf({ event_id: "x".repeat(10_000) })).toBeNull();
    expect(eventIdOf(null)).toBeNull();
    expect(eventIdOf("e-1")).toBeNull();
  });
});
