/**
 * GET /openapi.json (the edge's OpenAPI 3.1 document, from the routes' own schemas: openapi-route.ts)
 * and GET /docs, its API reference page, with Scalar's bundle served from this Worker (bundled as text
 * by wrangler.toml's rule for it). Both need no key.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
// Scalar's standalone bundle, copied here by wrangler.toml's [build] (npm run build:edge-inputs) and
// bundled as text, as every .txt module is.
import scalarScript from "../../dist/edge-assets/scalar-standalone.txt";
import { DOCS_PAGE_PATH, DOCS_SCRIPT_PATH, docsPageHtml } from "../../models/http/docs-page.ts";
import type { EdgeContext } from "./edge-context.ts";

export const EDGE_API_VERSION = "0.1.0";

export function registerDocsRoutes(app: OpenAPIHono<EdgeContext>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An edge API key (also accepted as X-API-Key); KV holds only its SHA-256.",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Edgewise edge",
      version: EDGE_API_VERSION,
      description:
        'The personalization API served by the Cloudflare Worker: recommendations, similar items, sentiment, behaviour predictions, ranking with rewards, and client events. Errors are {"error": {"code", "message"}}.',
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: new URL(c.req.url).origin, description: "this edge" }],
  }));
  app.get(DOCS_PAGE_PATH, (c) =>
    c.html(docsPageHtml({ title: "Edgewise edge API", specUrl: "/openapi.json" })),
  );
  app.get(DOCS_SCRIPT_PATH, (c) =>
    c.body(scalarScript, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    }),
  );
}
