/**
 * The behaviour every KvWriter backend must have. Each backend's test file calls
 * describeKvWriterConformance with a factory; tests keep apart by key prefix, so they share one
 * namespace (and one workerd).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import { kvLimits } from "../../../../origin/release/publish/kv-limits.ts";
import {
  type KvKeyInfo,
  type KvWriter,
  KvWriterError,
  listAllKeys,
} from "../../../../origin/release/publish/kv-writer.ts";
import { conformanceBackend } from "../../../support/conformance-backend.ts";
import { rejectionOf } from "../../../support/rejection.ts";

export interface KvWriterTarget {
  writer: KvWriter;
  /** The backend's list page size, so the suite can check that listing follows cursors. */
  listPageSize: number;
  cleanup(): Promise<void>;
}

function randomBytes(seed: number, length: number): Uint8Array {
  const rng = mulberry32(seed);
  return Uint8Array.from({ length }, () => Math.floor(rng() * 256));
}

export function describeKvWriterConformance(name: string, open: () => Promise<KvWriterTarget>): void {
  describe(`KvWriter conformance: ${name}`, () => {
    let writer: KvWriter;
    const target = conformanceBackend(open, (opened) => {
      writer = opened.writer;
    });

    it("round-trips text and bytes, including every byte value and keys that need URL escaping", async () => {
      const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const text = 'naïve café ☕ "quoted" \\ line\nbreak';
      const oddKey = "rt/user/a b?c#d%e&f=g/é";
      await writer.putMany([
        { key: "rt/bytes", value: everyByte },
        { key: "rt/text", value: text },
        { key: oddKey, value: "odd" },
      ]);
      expect(await writer.getBytes("rt/bytes")).toEqual(everyByte);
      expect(await writer.getText("rt/text")).toBe(text);
      expect(await writer.getText(oddKey)).toBe("odd");
      expect(await writer.getBytes("rt/text")).toEqual(new TextEncoder().encode(text));
    });

    it("answers null for a key that is not there, as text and as bytes", async () => {
      expect(await writer.getText("absent/nothing")).toBeNull();
      expect(await writer.getBytes("absent/nothing")).toBeNull();
    });

    it("stores a Uint8Array view's own bytes, not the rest of its buffer", async () => {
      const whole = randomBytes(1, 1000);
      await writer.putMany([{ key: "view/middle", value: whole.subarray(100, 300) }]);
      expect(await writer.getBytes("view/middle")).toEqual(whole.slice(100, 300));
    });

    it("overwrites an existing value", async () => {
      await writer.putMany([{ key: "over/k", value: "first" }]);
      await writer.putMany([{ key: "over/k", value: "second" }]);
      expect(await writer.getText("over/k")).toBe("second");
    });

    it("writes many pairs of mixed sizes in one call", async () => {
      const pairs = Array.from({ length: 120 }, (_, i) => ({
        key: `many/${String(i).padStart(3, "0")}`,
        value: i % 2 === 0 ? `value ${i}` : randomBytes(i, 1 + ((i * 397) % 3000)),
      }));
      await writer.putMany(pairs);
      for (const pair of [pairs[0]!, pairs[1]!, pairs[77]!, pairs[119]!]) {
        const stored =
          typeof pair.value === "string" ? await writer.getText(pair.key) : await writer.getBytes(pair.key);
        expect(stored).toEqual(pair.value);
      }
      expect((await listAllKeys(writer, "many/")).map((key) => key.name)).toEqual(
        pairs.map((pair) => pair.key),
      );
    });

    it("lists exactly the keys under a prefix, in order, following cursors across pages", async () => {
      const inside = Array.from({ length: 25 }, (_, i) => `ls/${String.fromCharCode(97 + (i % 26))}${i}`);
      await writer.putMany(
        [...inside, "ls-sibling/x", "lsx", "other/ls/"].map((key) => ({ key, value: "v" })),
      );
      const pages: KvKeyInfo[][] = [];
      for await (const page of writer.listKeys("ls/")) {
        pages.push(page);
      }
      expect(pages.flat().map((key) => key.name)).toEqual([...inside].sort());
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(inside.length / target().listPageSize));
      expect(await listAllKeys(writer, "no-such-prefix/")).toEqual([]);
    });

    it("returns each key's metadata and expiration in listings", async () => {
      const before = Math.floor(Date.now() / 1000);
      await writer.putMany([
        { key: "meta/a", value: "a", metadata: { sha256: "abc", n: 3 } },
        { key: "meta/b", value: new Uint8Array([1]), expirationTtlSeconds: 3600 },
      ]);
      const [a, b] = await listAllKeys(writer, "meta/");
      expect(a).toEqual({ name: "meta/a", metadata: { sha256: "abc", n: 3 } });
      expect(b?.metadata).toBeUndefined();
      expect(b?.expiration).toBeGreaterThanOrEqual(before + 3600);
      expect(b?.expiration).toBeLessThan(before + 3600 + 120);
    });

    it("deletes exactly the given keys and ignores keys that are already gone", async () => {
      await writer.putMany(["del/1", "del/2", "del/3"].map((key) => ({ key, value: key })));
      await writer.deleteMany(["del/1", "del/3", "del/never-written"]);
      expect((await listAllKeys(writer, "del/")).map((key) => key.name)).toEqual(["del/2"]);
      expect(await writer.getText("del/1")).toBeNull();
    });

    it("refuses a call holding pairs that break KV's limits, names them and writes none of the call", async () => {
      const cases = [
        { key: "bad/too-big", value: new Uint8Array(kvLimits.valueBytes + 1) },
        { key: "", value: "empty key" },
        { key: `bad/${"k".repeat(kvLimits.keyBytes)}`, value: "long key" },
        { key: "bad/short-ttl", value: "x", expirationTtlSeconds: 30 },
        { key: "bad/big-metadata", value: "x", metadata: { blob: "m".repeat(kvLimits.metadataBytes) } },
      ];
      for (const bad of cases) {
        const error = await rejectionOf(
          writer.putMany([{ key: "bad/fine", value: "fine" }, bad]),
          KvWriterError,
        );
        expect(error.keys).toEqual([bad.key]);
      }
      const duplicate = await rejectionOf(
        writer.putMany([
          { key: "bad/twice", value: "1" },
          { key: "bad/twice", value: "2" },
        ]),
        KvWriterError,
      );
      expect(duplicate.message).toContain("appears twice");
      expect(await listAllKeys(writer, "bad/")).toEqual([]);
    });
  });
}
