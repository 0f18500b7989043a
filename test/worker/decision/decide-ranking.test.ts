import { describe, expect, it } from "vitest";
import { type Decision, decide } from "../../../worker/decision/index.ts";
import { buildFixture, context, EMBEDDING, ids, referenceCandidates, surface, userNear } from "./fixture.ts";

const fixture = buildFixture({ content: true });
const { catalog } = fixture;
const withoutId = ({ decision_id: _, ...rest }: Decision) => rest;

/** Cosine similarity of two items' float embeddings (before quantization). */
function cosine(a: string, b: string): number {
  const dim = fixture.catalog.embedding!.dim;
  const va = fixture.vectors.subarray(catalog.indexOf(a) * dim, (catalog.indexOf(a) + 1) * dim);
  const vb = fixture.vectors.subarray(catalog.indexOf(b) * dim, (catalog.indexOf(b) + 1) * dim);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dim; d++) {
    dot += va[d]! * vb[d]!;
    na += va[d]! ** 2;
    nb += vb[d]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

function meanPairwiseSimilarity(items: string[]): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      sum += cosine(items[a]!, items[b]!);
      pairs++;
    }
  }
  return sum / pairs;
}

describe("personalised ranking", () => {
  it("ranks the items of the user's cluster first, from the model, with the versions used", async () => {
    const decision = await decide({ k: 10 }, context(fixture, { user: userNear(fixture, { 3: 1 }) }));
    expect(ids(decision).map(fixture.clusterOf)).toEqual(new Array(10).fill(3));
    expect(decision.cold_start).toBe(false);
    expect(decision.degraded).toBe(false);
    expect(decision.items.every((item) => item.source === "model")).toBe(true);
    expect(decision.model_versions).toEqual({
      catalog: catalog.header.version,
      [EMBEDDING.model]: EMBEDDING.version,
    });
  });

  it("is deterministic given its inputs, apart from a fresh decision id", async () => {
    const ctx = context(fixture, {
      user: userNear(fixture, { 0: 1, 1: 0.6 }),
      surface: surface({ diversity: { lambda: 0.5 } }),
    });
    const first = await decide({ k: 12, explain: true }, ctx);
    const second = await decide({ k: 12, explain: true }, ctx);
    expect(withoutId(second)).toEqual(withoutId(first));
    expect(first.decision_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.decision_id).not.toBe(first.decision_id);
  });

  it("explains each item with reasons whose contributions sum to its score", async () => {
    const decision = await decide(
      { k: 8, explain: true },
      context(fixture, {
        user: userNear(fixture, { 2: 1, 4: 0.7 }),
        surface: surface({ diversity: { lambda: 0.6 } }),
      }),
    );
    expect(decision.model_versions).toMatchObject({ mf: "v1" });
    for (const item of decision.items) {
      const terms = item.reasons!.map((r) => r.term);
      expect(terms).toEqual(["model", "popularity", "sentiment", "mmr_penalty"]);
      const sum = item.reasons!.reduce((total, r) => total + r.contribution, 0);
      expect(sum).toBeCloseTo(item.score, 12);
      expect(item.reasons![0]!.model).toBe("mf@v1");
    }
    expect(Math.abs(decision.items[0]!.reasons![3]!.contribution)).toBe(0);
    expect(decision.items.some((item) => item.reasons![3]!.contribution < 0)).toBe(true);
  });

  it("omits reasons unless asked", async () => {
    const decision = await decide({ k: 3 }, context(fixture, { user: userNear(fixture, { 0: 1 }) }));
    expect(decision.items.every((item) => item.reasons === undefined)).toBe(true);
  });
});

describe("diversity", () => {
  const dominant = userNear(fixture, { 0: 1, 1: 0.5, 2: 0.3 });
  const countDominant = (decision: Decision) =>
    ids(decision).filter((id) => fixture.clusterOf(id) === 0).length;

  for (const vectors of ["embedding", "content"] as const) {
    it(`MMR over ${vectors} vectors shows fewer items of the dominant cluster and keeps the top item`, async () => {
      const plain = await decide({ k: 10 }, context(fixture, { user: dominant }));
      const diverse = await decide(
        { k: 10 },
        context(fixture, { user: dominant, surface: surface({ diversity: { lambda: 0.5, vectors } }) }),
      );
      expect(countDominant(plain)).toBe(10);
      expect(countDominant(diverse)).toBeLessThan(countDominant(plain));
      expect(ids(diverse)[0]).toBe(ids(plain)[0]);
      expect(meanPairwiseSimilarity(ids(diverse))).toBeLessThan(meanPairwiseSimilarity(ids(plain)) - 0.2);
      expect(diverse.model_versions[vectors === "content" ? "text" : "mf"]).toBeDefined();
    });
  }
});

describe("candidate generators", () => {
  it("decides identically with the wasm kernel and the TypeScript reference", async () => {
    const mixes: Record<number, number>[] = [{ 0: 1 }, { 1: 1, 3: -0.5 }, { 4: 0.2, 2: 1 }];
    for (const mix of mixes) {
      const user = userNear(fixture, mix, { recentItems: ["item-0", "item-1", "item-2"] });
      const s = surface({ diversity: { lambda: 0.7 } });
      const viaKernel = await decide({ k: 15, explain: true }, context(fixture, { user, surface: s }));
      const viaReference = await decide(
        { k: 15, explain: true },
        context(fixture, { user, surface: s, candidates: referenceCandidates(catalog) }),
      );
      expect(withoutId(viaKernel)).toEqual(withoutId(viaReference));
    }
  });
});
