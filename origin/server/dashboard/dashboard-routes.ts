/**
 * GET /dashboard: the operator's page (only when ADMIN_API_KEY is set). The page itself holds no data:
 * its script asks for the admin key and reads everything through the admin API (admin/). uPlot comes
 * from its npm package, served here with the page's script; nothing loads from elsewhere.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { html } from "hono/html";
import { DASHBOARD_SCRIPT } from "./dashboard-script.ts";

const uplotDir = () => path.dirname(createRequire(import.meta.url).resolve("uplot"));

const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edgewise dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/uplot.css">
<style>
[hidden]{display:none!important}
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{display:flex;gap:1.5rem;align-items:baseline;padding:.8rem 1.2rem;background:#1d2733;color:#fff}
header h1{font-size:1.1rem;margin:0}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem;padding:1rem}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem}
h2{font-size:1rem;margin:.3rem 0 .6rem}
table{border-collapse:collapse;font-size:.85rem;width:100%;margin-bottom:.6rem}
th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #eee;vertical-align:top}
#login{padding:2rem}
#status{font-size:.85rem;color:#555}
</style>
</head>
<body>
<header><h1>Edgewise</h1><span>serving release <b id="serving-version">–</b></span><span id="generated"></span><span id="status"></span></header>
<form id="login" hidden><label>Admin key <input id="key" type="password" autocomplete="off"></label> <button>Open</button> <span id="login-message"></span></form>
<main id="main" hidden>
<section><h2>Releases and their models' headline metrics</h2><div id="releases-chart"></div><table id="releases-table"></table></section>
<section><h2>Requests at this origin</h2><div id="requests-chart"></div><p id="degraded"></p></section>
<section><h2>Ingestion</h2><table id="ingestion"></table><table id="rejected"></table></section>
<section><h2>Experiments</h2><div id="experiments"></div></section>
<section><h2>Last learning runs</h2><table id="learning"></table></section>
</main>
<script src="/dashboard/uplot.js"></script>
<script src="/dashboard/app.js"></script>
</body>
</html>`;

export function registerDashboard(app: OpenAPIHono): void {
  const assets = new Map<string, Promise<string>>();
  const asset = (file: string) => {
    let text = assets.get(file);
    if (text === undefined) {
      text = readFile(path.join(uplotDir(), file), "utf8");
      assets.set(file, text);
    }
    return text;
  };
  app.get("/dashboard", (c) => c.html(page));
  app.get("/dashboard/app.js", (c) =>
    c.body(DASHBOARD_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/dashboard/uplot.js", async (c) =>
    c.body(await asset("uPlot.iife.min.js"), 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/dashboard/uplot.css", async (c) =>
    c.body(await asset("uPlot.min.css"), 200, { "content-type": "text/css; charset=utf-8" }),
  );
}
