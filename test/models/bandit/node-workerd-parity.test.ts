/**
 * The shared learning-loop code gives bit-identical results in Node and in workerd: experiment buckets,
 * feature hashing, a learned policy's parameters after publish/decode cycles, and the rankings and
 * propensities of every algorithm. The workerd side is a Worker bundled from the same sources (esbuild)
 * and run by Miniflare.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeInWorkerd } from "../../support/workerd-parity.ts";
import { parityCases } from "./parity/parity-cases.ts";

describe("Node and workerd parity", () => {
  it("computes the same buckets, encodings, parameters, rankings and propensities", async () => {
    const { runtime, body } = await computeInWorkerd(
      path.join(import.meta.dirname, "parity", "parity-worker.ts"),
    );
    expect(runtime).toBe("Cloudflare-Workers");
    const inWorkerd = body as Record<string, { ranking?: unknown[] }>;
    expect(inWorkerd["softmax-ucb"]?.ranking).toHaveLength(4);
    // JSON round trip on the Node side too, so both are compared in the same representation.
    expect(inWorkerd).toEqual(JSON.parse(JSON.stringify(parityCases())));
  });
});
