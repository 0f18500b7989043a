/**
 * models/onnx and models/random.ts must run unchanged in workerd. The Worker's tsconfig cannot catch Node
 * API use on its own (@cloudflare/workers-types declares `Buffer` and `process` for nodejs_compat), so this
 * scans the sources, comments stripped, for Node-only imports and globals.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MODELS_DIR = join(import.meta.dirname, "../../../models");
const SOURCES = [
  ...readdirSync(join(MODELS_DIR, "onnx"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(MODELS_DIR, "onnx", f)),
  join(MODELS_DIR, "random.ts"),
];

const NODE_ONLY = [
  /from\s+["']node:/,
  /import\(\s*["']node:/,
  /\brequire\s*\(/,
  /\bBuffer\b/,
  /\bprocess\./,
  /\b__dirname\b/,
  /from\s+["'](fs|path|os|crypto|stream|url)["']/,
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

describe("models/onnx is runtime-neutral", () => {
  it("finds the sources it is meant to scan", () => {
    expect(SOURCES.length).toBeGreaterThan(5);
  });

  for (const file of SOURCES) {
    it(`${file.slice(MODELS_DIR.length + 1)} uses no Node-only import or global`, () => {
      const code = stripComments(readFileSync(file, "utf8"));
      expect(NODE_ONLY.filter((pattern) => pattern.test(code)).map(String)).toEqual([]);
    });
  }
});
