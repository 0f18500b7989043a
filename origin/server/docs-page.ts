/**
 * GET /docs: the origin's API reference page over its /openapi.json, running Scalar's standalone bundle
 * from the npm package (served here at /docs/scalar.js, never from a CDN). Needs no key, like
 * /openapi.json.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { DOCS_PAGE_PATH, DOCS_SCRIPT_PATH, docsPageHtml } from "../../models/http/docs-page.ts";

/** The package's exports list neither its standalone bundle nor package.json: found beside its entry, dist/index.js. */
function scalarBundlePath(): string {
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return path.join(path.dirname(entry), "browser", "standalone.js");
}

export function registerDocsPage(app: OpenAPIHono): void {
  let script: Promise<string> | null = null;
  app.get(DOCS_PAGE_PATH, (c) =>
    c.html(docsPageHtml({ title: "Edgewise origin API", specUrl: "/openapi.json" })),
  );
  app.get(DOCS_SCRIPT_PATH, async (c) => {
    script ??= readFile(scalarBundlePath(), "utf8");
    return c.body(await script, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    });
  });
}
