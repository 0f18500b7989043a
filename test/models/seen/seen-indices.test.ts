/** The seen set's encoding: exact round trips, its size, and bad input refused with a reason. */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../models/random.ts";
import { decodeSeenIndices, encodeSeenIndices, SeenIndicesError } from "../../../models/seen/index.ts";

/** `count` distinct indices below `items`, ascending, drawn with a seed. */
function sampleIndices(count: number, items: number, seed: number): Uint32Array {
  const rng = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < count) {
    picked.add(Math.floor(rng() * items));
  }
  return Uint32Array.from(picked).sort();
}

const encodedBytes = (text: string) => atob(text).length;

describe("seen indices", () => {
  it("round-trips an empty set as an empty string", () => {
    expect(encodeSeenIndices([])).toBe("");
    expect(decodeSeenIndices("", 0, 0)).toEqual(new Uint32Array(0));
  });

  it("round-trips the smallest and largest indices and gaps of every varint width", () => {
    const indices = [0, 1, 128, 129 + 127, 20_000, 2_100_000, 300_000_000, 0xffff_fffe, 0xffff_ffff];
    const encoded = encodeSeenIndices(indices);
    expect(Array.from(decodeSeenIndices(encoded, indices.length, 2 ** 32))).toEqual(indices);
  });

  it("round-trips 10,000 items of a 1M-item catalogue in under 2 bytes an item", () => {
    const indices = sampleIndices(10_000, 1_000_000, 7);
    const encoded = encodeSeenIndices(indices);
    expect(decodeSeenIndices(encoded, indices.length, 1_000_000)).toEqual(indices);
    // Gaps average 100 (below 2^14), so no index takes more than 2 bytes; ids would take 5 or more each.
    expect(encodedBytes(encoded)).toBeLessThanOrEqual(2 * indices.length);
    expect(encodedBytes(encoded)).toBeGreaterThan(indices.length);
  });

  it("stores a dense history in one byte an item", () => {
    const indices = sampleIndices(2_000, 4_000, 11);
    const encoded = encodeSeenIndices(indices);
    expect(encodedBytes(encoded)).toBe(indices.length);
    expect(decodeSeenIndices(encoded, indices.length, 4_000)).toEqual(indices);
  });

  it("refuses to encode indices that are unsorted, repeated, negative, fractional or past uint32", () => {
    for (const bad of [[2, 1], [3, 3], [-1], [1.5], [2 ** 32]]) {
      expect(() => encodeSeenIndices(bad), JSON.stringify(bad)).toThrow(SeenIndicesError);
    }
  });

  it("refuses text that is not the encoding of count indices inside the catalogue", () => {
    const encoded = encodeSeenIndices([3, 200, 70_000]);
    const cases: Array<[string, string, number, number]> = [
      ["not base64", "@@@@", 1, 10],
      ["count past the bytes", encoded, 10, 100_000],
      ["count short of the bytes", encoded, 2, 100_000],
      ["negative count", encoded, -1, 100_000],
      ["index past the catalogue", encoded, 3, 70_000],
      ["truncated varint", btoa(String.fromCharCode(0x80)), 1, 10],
      ["six-byte varint", btoa(String.fromCharCode(0xff, 0xff, 0xff, 0xff, 0xff, 0x01)), 1, 2 ** 40],
    ];
    for (const [what, text, count, items] of cases) {
      expect(() => decodeSeenIndices(text, count, items), what).toThrow(SeenIndicesError);
    }
  });
});
