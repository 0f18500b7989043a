import { describe, expect, it } from "vitest";
import { splitJsonArray } from "../../../origin/ingest/index.ts";

async function split(chunks: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const element of splitJsonArray(source())) {
    out.push(JSON.parse(element));
  }
  return out;
}

describe("splitJsonArray", () => {
  const elements = [
    { a: "x]y,z", b: [1, [2, { c: "}" }]] },
    'quote \\" and ] inside',
    42,
    null,
    [],
    { nested: { deep: ["[", "{", "\\\\"] } },
  ];
  const text = ` \n[${elements.map((e) => JSON.stringify(e)).join(" ,\n ")}]\n`;

  it("yields each element of an array whatever the chunk boundaries", async () => {
    expect(await split([text])).toEqual(elements);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await split([text.slice(0, cut), text.slice(cut)])).toEqual(elements);
    }
    expect(await split([...text])).toEqual(elements);
  });

  it("accepts an empty array", async () => {
    expect(await split(["[ ]"])).toEqual([]);
  });

  it("refuses what is not one JSON array", async () => {
    await expect(split(['{"a":1}'])).rejects.toThrow(/not a JSON array/);
    await expect(split(["[1, 2"])).rejects.toThrow(/not closed/);
    await expect(split(["[1] [2]"])).rejects.toThrow(/after the end/);
    await expect(split(["[1,,2]"])).rejects.toThrow(/empty element/);
  });
});
