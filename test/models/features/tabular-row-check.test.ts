import { describe, expect, it } from "vitest";
import { type TabularEncoderSpec, tabularRowProblem } from "../../../models/features/index.ts";

const spec: TabularEncoderSpec = {
  columns: [
    { name: "tenure", kind: "numeric", mean: 30, std: 10 },
    { name: "plan", kind: "categorical", categories: ["monthly", "yearly"] },
    { name: "seats", kind: "categorical", categories: ["1", "2"] },
  ],
};

describe("tabularRowProblem", () => {
  it("accepts known categories, numbers and explicit missing values", () => {
    expect(tabularRowProblem(spec, { tenure: 3, plan: "yearly", seats: 2 })).toBeNull();
    expect(tabularRowProblem(spec, { tenure: null, plan: null, seats: "" })).toBeNull();
  });

  it("names the attribute and its known categories for a value outside them", () => {
    for (const plan of [5, "gold", true]) {
      const problem = tabularRowProblem(spec, { plan });
      expect(problem).toContain("'plan'");
      expect(problem).toContain('"monthly", "yearly"');
    }
  });

  it("refuses a number whose standardised value overflows float32", () => {
    expect(tabularRowProblem(spec, { tenure: 1e308 })).toContain("'tenure'");
    expect(tabularRowProblem(spec, { tenure: "not a number" })).toContain("must be a number");
  });

  it("refuses an unknown attribute, listing the model's", () => {
    expect(tabularRowProblem(spec, { tenur: 1 })).toContain("tenure, plan, seats");
  });
});
