import { describe, expect, it } from "vitest";
import { encodeAction, encodeContext, FeatureShapeError } from "../../../models/bandit/encode-features.ts";
import { fmix32, fnv1a32 } from "../../../models/hash/index.ts";

describe("feature encoding", () => {
  it("puts the bias in slot 0 and each feature, signed, in its hashed bucket", () => {
    const dims = 16;
    const out = encodeContext({ x1: 0.5, segment: "b", mobile: true }, dims);
    expect(out[0]).toBe(1);
    const expected = new Float64Array(dims);
    expected[0] = 1;
    for (const [token, value] of [
      ["x1", 0.5],
      ["segment=b", 1],
      ["mobile", 1],
    ] as const) {
      // Written out from the rule in the module's comment: bucket 1 + h mod (dims − 1), sign from h's top bit.
      const h = fmix32(fnv1a32(token));
      expected[1 + (h % (dims - 1))]! += (h >>> 31 === 0 ? 1 : -1) * value;
    }
    expect([...out]).toEqual([...expected]);
  });

  it("gives the same vector whatever the order of the feature names", () => {
    expect([...encodeContext({ a: 1, b: "x", c: 2 }, 8)]).toEqual([
      ...encodeContext({ c: 2, b: "x", a: 1 }, 8),
    ]);
  });

  it("encodes false as 0 and separates categories of the same feature", () => {
    expect([...encodeContext({ flag: false }, 8)].slice(1).every((v) => v === 0)).toBe(true);
    expect([...encodeContext({ s: "a" }, 64)]).not.toEqual([...encodeContext({ s: "b" }, 64)]);
  });

  it("copies a dense action vector after the bias and refuses one of the wrong length", () => {
    const out = new Float64Array(4);
    encodeAction({ id: "i", vector: [0.1, 0.2, 0.3] }, 4, out);
    expect([...out]).toEqual([1, 0.1, 0.2, 0.3]);
    expect(() => encodeAction({ id: "i", vector: [0.1, 0.2] }, 4, out)).toThrow(FeatureShapeError);
  });

  it("encodes an action with neither features nor vector as the bias alone", () => {
    const out = new Float64Array(4).fill(9);
    encodeAction({ id: "i" }, 4, out);
    expect([...out]).toEqual([1, 0, 0, 0]);
  });
});
