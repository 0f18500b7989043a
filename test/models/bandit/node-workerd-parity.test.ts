/**
 * The shared learning-loop code gives bit-identical results in Node and in workerd: experiment buckets,
 * feature hashing, a learned policy's parameters after publish/decode cycles, and the rankings and
 * propensities of every algorithm. The workerd side is a Worker bundled from the same sources (esbuild)
 * and run by Miniflare.
 */
import path from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parityCases } from "./parity/parity-cases.ts";

let miniflare: Miniflare;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, "parity", "parity-worker.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    mainFields: ["module", "main"],
  });
  // Written in Miniflare 4's option shape, which Miniflare 5 converts (as origin/dev/local-edge does).
  miniflare = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          name: "parity",
          modules: [{ type: "ESModule", path: "parity.js", contents: bundle.outputFiles[0]!.text }],
          compatibilityDate: "2026-11-01",
        },
      ],
    }),
  );
  await miniflare.ready;
});

afterAll(async () => {
  await miniflare?.dispose();
});

describe("Node and workerd parity", () => {
  it("computes the same buckets, encodings, parameters, rankings and propensities", async () => {
    const response = await miniflare.dispatchFetch("http://parity/");
    expect(response.headers.get("x-runtime")).toBe("Cloudflare-Workers");
    const inWorkerd = (await response.json()) as Record<string, { ranking?: unknown[] }>;
    expect(inWorkerd["softmax-ucb"]?.ranking).toHaveLength(4);
    // JSON round trip on the Node side too, so both are compared in the same representation.
    expect(inWorkerd).toEqual(JSON.parse(JSON.stringify(parityCases())));
  });
});
