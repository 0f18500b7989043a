/**
 * The text features the edge computes for /analyze-sentiment are bit for bit the trainer's: the same
 * tokens, bucket indices and float32 values in workerd as in Node, for awkward texts (emoji, capitals,
 * other scripts, HTML, empty, long).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeInWorkerd } from "../../support/workerd-parity.ts";
import { textParityCases } from "./parity/text-cases.ts";

describe("text features in Node and workerd", () => {
  it("tokenizes and hashes identically", async () => {
    const { runtime, body } = await computeInWorkerd(
      path.join(import.meta.dirname, "parity", "text-features-worker.ts"),
    );
    expect(runtime).toBe("Cloudflare-Workers");
    const inNode = textParityCases();
    expect(inNode[0]![0]!.indices.length).toBeGreaterThan(5);
    expect(body).toEqual(JSON.parse(JSON.stringify(inNode)));
  });
});
