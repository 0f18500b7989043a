import { describe, expect, it } from "vitest";
import {
  encodedFeatureNames,
  encodedWidth,
  encodeRows,
  fitTabularEncoder,
  TabularEncoderSpec,
} from "../../../models/features/index.ts";

describe("tabular encoder", () => {
  const rows = [
    { tenure: 1, plan: "monthly" },
    { tenure: 3, plan: "yearly" },
    { tenure: 5, plan: "monthly" },
  ];
  const spec = fitTabularEncoder(rows, { numeric: ["tenure"], categorical: ["plan"] });

  it("standardises numerics with the training mean and population standard deviation", () => {
    // mean 3, variance ((−2)² + 0² + 2²)/3 = 8/3, std 1.6329932
    expect(spec.columns[0]).toMatchObject({ kind: "numeric", mean: 3 });
    expect((spec.columns[0] as { std: number }).std).toBeCloseTo(Math.sqrt(8 / 3), 10);
  });

  it("one-hot encodes categories in sorted order and names every position", () => {
    expect(encodedWidth(spec)).toBe(3);
    expect(encodedFeatureNames(spec)).toEqual(["tenure", "plan=monthly", "plan=yearly"]);
    const x = encodeRows(spec, [{ tenure: 5, plan: "yearly" }]);
    // (5 − 3) / 1.6329932 = 1.2247449
    expect(x[0]).toBeCloseTo(1.2247449, 6);
    expect(Array.from(x.subarray(1))).toEqual([0, 1]);
  });

  it("encodes a missing numeric as the mean and an unseen or missing category as all zeros", () => {
    const x = encodeRows(spec, [{ tenure: null, plan: "weekly" }, { plan: null }]);
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("is plain JSON that round-trips through its schema (it ships in the manifest)", () => {
    expect(TabularEncoderSpec.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });
});
