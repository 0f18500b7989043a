/**
 * Serves the demo shop page and the snippet (bundled from source on start) on 127.0.0.1, for the local
 * stack: run `npm start`, then
 *   node client/demo/serve-demo.ts --edge http://127.0.0.1:8787 --key "$(cat .edgewise/edge-api-key)" --user user-1
 * The edge must list this page's origin in CORS_ORIGINS (printed on start). The Chromium test serves it
 * the same way.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { snippetBuildOptions } from "../esbuild-options.ts";

export interface DemoPageConfig {
  edgeUrl: string;
  apiKey: string;
  userId: string;
  /** An item shown outside the recommendations block, tracked on view and click. */
  featuredItemId: string;
  /** The batcher's flush interval; the snippet's default (5 s) when absent. */
  flushIntervalMs?: number;
}

export interface DemoServer {
  /** The page's origin, which the edge's CORS_ORIGINS must list. */
  origin: string;
  snippetBytes: number;
  /**
   * Sets what the page says. Separate from the start, as the edge must list this server's origin in
   * CORS_ORIGINS before it starts, and only then is its URL known. The page answers 503 until set.
   */
  configure(config: DemoPageConfig): void;
  close(): Promise<void>;
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => htmlEscapes[c]!);

/** Serves the page on 127.0.0.1 (port 0 picks a free one). */
export async function serveDemoPage(options: { port?: number } = {}): Promise<DemoServer> {
  const bundled = await build({ ...snippetBuildOptions, write: false });
  const snippet = bundled.outputFiles![0]!.contents;
  const template = await readFile(path.join(import.meta.dirname, "index.html"), "utf8");
  let page: string | null = null;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/" || url.pathname === "/index.html") {
      if (page === null) {
        response.writeHead(503, { "content-type": "text/plain" }).end("the demo page is not configured yet");
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    } else if (url.pathname === "/edgewise-snippet.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(snippet);
    } else if (url.pathname === "/elsewhere") {
      // A second page to navigate to, so that leaving the demo page fires pagehide.
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end('<!doctype html><link rel="icon" href="data:,"><p>elsewhere</p>');
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    snippetBytes: snippet.length,
    configure(config) {
      const values: Record<string, string> = {
        EDGE_URL: config.edgeUrl,
        API_KEY: config.apiKey,
        USER_ID: config.userId,
        FEATURED_ITEM: config.featuredItemId,
        FLUSH_MS: config.flushIntervalMs === undefined ? "" : String(config.flushIntervalMs),
      };
      page = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => escapeHtml(values[name] ?? ""));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      edge: { type: "string", default: "http://127.0.0.1:8787" },
      key: { type: "string", default: "" },
      user: { type: "string", default: "user-1" },
      item: { type: "string", default: "item-1" },
      port: { type: "string", default: "8081" },
    },
  });
  const demo = await serveDemoPage({ port: Number(values.port) });
  demo.configure({
    edgeUrl: values.edge,
    apiKey: values.key,
    userId: values.user,
    featuredItemId: values.item,
  });
  console.log(`demo page: ${demo.origin}/  (the edge needs CORS_ORIGINS="${demo.origin}")`);
}
