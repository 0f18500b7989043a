/**
 * What the client ships: one ESM module with no Node built-in and no zod (its types come from the shared
 * contracts, imported as types only), and a site snippet under 10 KB gzipped. Built with the package's own
 * esbuild options.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { clientBuildOptions, snippetBuildOptions } from "../../client/esbuild-options.ts";

async function bundled(options: typeof clientBuildOptions): Promise<string> {
  const result = await build({ ...options, write: false, metafile: true });
  return result.outputFiles![0]!.text;
}

describe("the client package's bundles", () => {
  it("builds the client for the neutral platform, which resolves no Node built-in", async () => {
    const code = await bundled(clientBuildOptions);
    expect(code).toContain("createEdgeClient");
    expect(code).not.toMatch(/from\s*["']node:/);
    expect(code).not.toMatch(/\bZodError\b|safeParse/);
  });

  it("keeps the snippet under 10 KB gzipped", async () => {
    const code = await bundled(snippetBuildOptions);
    expect(gzipSync(code, { level: 9 }).length).toBeLessThan(10_000);
  });
});
