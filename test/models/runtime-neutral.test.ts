/**
 * Everything in models/ must run unchanged in workerd as well as Node (DESIGN: "what both sides must
 * compute identically"). The Worker's tsconfig cannot catch Node API use on its own
 * (@cloudflare/workers-types declares `Buffer` and `process` for nodejs_compat), so this scans every
 * source under models/, comments stripped, for Node-only imports and globals and for imports of the
 * Node-only origin.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MODELS_DIR = join(import.meta.dirname, "../../models");
const SOURCES = readdirSync(MODELS_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => join(MODELS_DIR, file));

const NODE_ONLY = [
  /from\s+["']node:/,
  /import\(\s*["']node:/,
  /\brequire\s*\(/,
  /\bBuffer\b/,
  /\bprocess\./,
  /\b__dirname\b/,
  /from\s+["'](fs|path|os|crypto|stream|url)["']/,
  /from\s+["'](\.\.\/)+origin\//,
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

describe("models/ is runtime-neutral", () => {
  it("finds the sources it is meant to scan", () => {
    for (const part of [
      "onnx",
      "bandit",
      "experiments",
      "hash",
      "stats",
      "catalog",
      "text",
      "features",
      "contracts",
    ]) {
      expect(
        SOURCES.some((file) => file.includes(`/models/${part}/`)),
        part,
      ).toBe(true);
    }
    expect(SOURCES.length).toBeGreaterThan(50);
  });

  for (const file of SOURCES) {
    it(`${file.slice(MODELS_DIR.length + 1)} uses no Node-only import or global`, () => {
      const code = stripComments(readFileSync(file, "utf8"));
      expect(NODE_ONLY.filter((pattern) => pattern.test(code)).map(String)).toEqual([]);
    });
  }
});
