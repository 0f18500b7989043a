import { describe, expect, it } from "vitest";
import {
  CatalogFormatError,
  type CatalogInput,
  decodeCatalog,
  encodeCatalog,
} from "../../../models/catalog/index.ts";
import { quantizePerRow } from "../../../models/onnx/quantize.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";

const DIM = 8;
const CONTENT_DIM = 5;

function sampleInput(items = 30, seed = 3): CatalogInput {
  const rng = mulberry32(seed);
  const count = Uint32Array.from({ length: items }, (_, i) => (i % 4 === 0 ? 0 : 1 + (i % 7)));
  return {
    version: "catalog-7",
    createdAt: "2026-11-20T10:00:00.000Z",
    // Non-ASCII ids exercise the per-id decoding path; a BOM-led id checks that nothing is stripped.
    itemIds: Array.from({ length: items }, (_, i) =>
      i === 1 ? "\uFEFFbom" : i % 5 === 0 ? `thé-${i}` : `sku-${i}`,
    ),
    popularity: Float32Array.from({ length: items }, () => Math.floor(rng() * 100)),
    trending: Float32Array.from({ length: items }, () => rng() * 10),
    categories: Array.from({ length: items }, (_, i) =>
      i % 3 === 0 ? [] : i % 3 === 1 ? ["shoes", "sale", "shoes"] : ["hats"],
    ),
    price: Float32Array.from({ length: items }, (_, i) => (i % 6 === 0 ? Number.NaN : 1.5 * i)),
    sentiment: { mean: Float32Array.from(count, (n) => (n === 0 ? Number.NaN : rng())), count },
    embedding: { model: "mf", version: "v3", dim: DIM, vectors: randomNormalArray(rng, items * DIM) },
    content: {
      model: "text",
      version: "t1",
      dim: CONTENT_DIM,
      vectors: randomNormalArray(rng, items * CONTENT_DIM),
    },
  };
}

const expectRejected = (bytes: Uint8Array, message: RegExp) => {
  expect(() => decodeCatalog(bytes)).toThrow(CatalogFormatError);
  expect(() => decodeCatalog(bytes)).toThrow(message);
};

describe("item catalogue format", () => {
  it("round-trips every field, with vector tables quantized per row", () => {
    const input = sampleInput();
    const catalog = decodeCatalog(encodeCatalog(input));
    expect(catalog.items).toBe(30);
    expect(Array.from({ length: catalog.items }, (_, i) => catalog.itemId(i))).toEqual(input.itemIds);
    expect(catalog.indexOf("thé-10")).toBe(10);
    expect(catalog.indexOf("\uFEFFbom")).toBe(1);
    expect(catalog.indexOf("missing")).toBe(-1);
    expect(catalog.popularity).toEqual(input.popularity);
    expect(catalog.trending).toEqual(input.trending);
    expect(catalog.maxPopularity).toBe(Math.max(...(input.popularity as Float32Array)));
    expect(catalog.price).toEqual(input.price);
    expect(catalog.sentimentMean).toEqual(input.sentiment!.mean);
    expect(catalog.sentimentCount).toEqual(input.sentiment!.count);
    const embedding = quantizePerRow(input.embedding!.vectors, 30, DIM);
    expect(catalog.embedding).toMatchObject({ model: "mf", version: "v3", dim: DIM });
    expect(catalog.embedding!.values).toEqual(embedding.data);
    expect(catalog.embedding!.scales).toEqual(embedding.scales);
    expect(catalog.content!.values).toEqual(quantizePerRow(input.content!.vectors, 30, CONTENT_DIM).data);
    expect(catalog.header).toMatchObject({ version: "catalog-7", createdAt: "2026-11-20T10:00:00.000Z" });
  });

  it("stores categories as CSR over a name table, one entry per distinct category of an item", () => {
    const input = sampleInput();
    const catalog = decodeCatalog(encodeCatalog(input));
    const namesOf = (i: number) =>
      Array.from(
        catalog.categoryIds.subarray(catalog.categoryOffsets[i], catalog.categoryOffsets[i + 1]),
        (c) => catalog.categoryNames[c],
      );
    input.categories!.forEach((names, i) => {
      expect(namesOf(i)).toEqual([...new Set(names)]);
    });
    expect(catalog.categoryId("hats")).toBeGreaterThanOrEqual(0);
    expect(catalog.categoryId("nope")).toBe(-1);
  });

  it("decodes into views of the input buffer, copying only when the input is misaligned", () => {
    const bytes = encodeCatalog(sampleInput());
    const catalog = decodeCatalog(bytes);
    for (const array of [catalog.popularity, catalog.embedding!.values, catalog.categoryIds, catalog.price]) {
      expect(array.buffer).toBe(bytes.buffer);
    }
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const fromShifted = decodeCatalog(shifted.subarray(1));
    expect(fromShifted.popularity.buffer).not.toBe(shifted.buffer);
    expect(fromShifted.itemId(29)).toBe(catalog.itemId(29));
    expect(decodeCatalog(bytes.buffer as ArrayBuffer).items).toBe(30);
  });

  it("encodes a minimal catalogue: no embeddings, categories, prices or reviews", () => {
    const catalog = decodeCatalog(
      encodeCatalog({ version: "v", itemIds: ["a", "b"], popularity: [2, 1], trending: [0, 0] }),
    );
    expect(catalog.embedding).toBeNull();
    expect(catalog.content).toBeNull();
    expect(catalog.categoryNames).toEqual([]);
    expect(Number.isNaN(catalog.price[0]!)).toBe(true);
    expect(catalog.sentimentCount).toEqual(new Uint32Array(2));
    const empty = decodeCatalog(encodeCatalog({ version: "v", itemIds: [], popularity: [], trending: [] }));
    expect(empty.items).toBe(0);
  });

  it("rejects a truncated buffer at any length, saying it is truncated", () => {
    const bytes = encodeCatalog(sampleInput());
    for (const length of [0, 4, 11, 12, 40, bytes.length >> 1, bytes.length - 1]) {
      expectRejected(bytes.slice(0, length), /truncated/);
    }
  });

  it("rejects trailing bytes, a foreign magic and an unknown format version", () => {
    const bytes = encodeCatalog(sampleInput());
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expectRejected(longer, /8 bytes follow the last section/);
    const foreign = bytes.slice();
    foreign[0] = 0x50;
    expectRejected(foreign, /not an Edgewise catalogue/);
    const future = bytes.slice();
    future[4] = 99;
    expectRejected(future, /format version 99 is not supported/);
  });

  it("rejects a corrupt header and inconsistent sections with a message naming the defect", () => {
    const bytes = encodeCatalog(sampleInput());
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const header = new TextDecoder().decode(bytes.subarray(12, 12 + headerLength));
    const sectionsStart = Math.ceil((12 + headerLength) / 8) * 8;

    const badJson = bytes.slice();
    badJson[12] = 0x7d; // "}" where "{" was
    expectRejected(badJson, /header is not UTF-8 JSON/);

    const negative = bytes.slice();
    const at = header.indexOf('"items":30');
    negative.set(new TextEncoder().encode('"items":-1'), 12 + at);
    expectRejected(negative, /bad header/);

    const idOffsets = bytes.slice();
    new Uint32Array(idOffsets.buffer, sectionsStart, 31)[3] = 1; // item 2's id would start before item 1's
    expectRejected(idOffsets, /item id offsets decrease at item 2/);

    const nanPopularity = bytes.slice();
    const catalog = decodeCatalog(nanPopularity);
    new Float32Array(nanPopularity.buffer, catalog.popularity.byteOffset, 30)[4] = Number.NaN;
    expectRejected(nanPopularity, /popularity of item 4 is NaN/);

    const category = bytes.slice();
    new Uint32Array(category.buffer, catalog.categoryIds.byteOffset, 1)[0] = 77;
    expectRejected(category, /category id 77 at 0 is out of range/);
  });

  it("skips only the per-item checks for trusted bytes: the header and the layout are still checked", () => {
    const bytes = encodeCatalog(sampleInput());
    const checked = decodeCatalog(bytes);
    const trusted = decodeCatalog(bytes, { trusted: true });
    expect(trusted.maxPopularity).toBe(checked.maxPopularity);
    expect(trusted.maxTrending).toBe(checked.maxTrending);
    expect(trusted.indexOf("thé-10")).toBe(10);
    const nanPrice = bytes.slice();
    new Float32Array(nanPrice.buffer, checked.price.byteOffset, 30)[5] = -3;
    expect(() => decodeCatalog(nanPrice)).toThrow(/price of item 5 is -3/);
    expect(decodeCatalog(nanPrice, { trusted: true }).price[5]).toBe(-3);
    expect(() => decodeCatalog(bytes.subarray(0, bytes.length - 8), { trusted: true })).toThrow(/truncated/);
  });

  it("refuses to encode inconsistent input", () => {
    const base = sampleInput(4);
    const encode = (patch: Partial<CatalogInput>) => () => encodeCatalog({ ...base, ...patch });
    expect(encode({ popularity: [1, 2, 3] })).toThrow(/popularity has 3 values, expected 4/);
    expect(encode({ itemIds: ["a", "b", "a", "c"] })).toThrow(/item id "a" appears twice/);
    expect(encode({ itemIds: ["a", "", "b", "c"] })).toThrow(/id is empty/);
    expect(encode({ trending: [1, -2, 3, 4] })).toThrow(/trending of item 1 is -2/);
    expect(encode({ price: [1, 2, -3, 4] })).toThrow(/price of item 2 is -3/);
    expect(encode({ sentiment: { mean: [0.5, 2, 0.5, 0.5], count: [1, 1, 1, 1] } })).toThrow(
      /sentiment of item 1/,
    );
    expect(encode({ sentiment: { mean: [0.5, 0.5, 0.5, 0.5], count: [1, -1, 1, 1] } })).toThrow(
      /review count of item 1/,
    );
    expect(
      encode({ embedding: { model: "mf", version: "v", dim: 3, vectors: new Float32Array(10) } }),
    ).toThrow(/embedding vectors has 10 values, expected 12/);
  });
});
