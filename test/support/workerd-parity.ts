/**
 * Runs shared code inside a real workerd to compare it with Node: bundles a Worker entry (esbuild, from
 * the same sources) whose fetch answers the cases computed there, and returns them with the runtime's
 * user agent ("Cloudflare-Workers" proves the answer came from workerd).
 */
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

export async function computeInWorkerd(entry: string): Promise<{ runtime: string | null; body: unknown }> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    mainFields: ["module", "main"],
  });
  // Written in Miniflare 4's option shape, which Miniflare 5 converts (as origin/dev/local-edge does).
  const miniflare = new Miniflare(
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
  try {
    await miniflare.ready;
    const response = await miniflare.dispatchFetch("http://parity/");
    return { runtime: response.headers.get("x-runtime"), body: await response.json() };
  } finally {
    await miniflare.dispose();
  }
}
