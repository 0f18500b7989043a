/**
 * The API reference page both services serve at GET /docs: Scalar's standalone bundle (from the npm
 * package @scalar/api-reference, served by the service itself at DOCS_SCRIPT_PATH, never from a CDN)
 * reading the service's own /openapi.json. Scalar's web fonts, telemetry and its hosted request proxy
 * are turned off, so the page makes no request outside the service.
 */
export const DOCS_PAGE_PATH = "/docs";
export const DOCS_SCRIPT_PATH = "/docs/scalar.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function docsPageHtml(options: { title: string; specUrl: string }): string {
  const configuration = {
    url: options.specUrl,
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    showDeveloperTools: "never",
    agent: { disabled: true },
    mcp: { disabled: true },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<style>body{margin:0;font-family:system-ui,sans-serif}</style>
</head>
<body>
<div id="app"></div>
<script src="${DOCS_SCRIPT_PATH}"></script>
<script>Scalar.createApiReference("#app", ${JSON.stringify(configuration).replace(/</g, "\\u003c")});</script>
</body>
</html>
`;
}
