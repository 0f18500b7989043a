/**
 * models/bandit, models/experiments, models/hash, models/stats and the decision contract run unchanged in
 * workerd: scan their sources, comments stripped, for Node-only imports and globals.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MODELS_DIR = join(import.meta.dirname, "../../../models");
const SOURCES = [
  ...["bandit", "experiments", "hash", "stats"].flatMap((dir) =>
    readdirSync(join(MODELS_DIR, dir))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(MODELS_DIR, dir, f)),
  ),
  join(MODELS_DIR, "contracts", "decision.ts"),
];

const NODE_ONLY = [
  /from\s+["']node:/,
  /import\(\s*["']node:/,
  /\brequire\s*\(/,
  /\bBuffer\b/,
  /\bprocess\./,
  /\b__dirname\b/,
  /from\s+["'](fs|path|os|crypto|stream|url)["']/,
  /from\s+["']\.\.\/\.\.\/origin\//,
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

describe("the learning loop's shared code is runtime-neutral", () => {
  it("finds the sources it is meant to scan", () => {
    expect(SOURCES.length).toBeGreaterThan(15);
  });

  for (const file of SOURCES) {
    it(`${file.slice(MODELS_DIR.length + 1)} uses no Node-only import or global`, () => {
      const code = stripComments(readFileSync(file, "utf8"));
      expect(NODE_ONLY.filter((pattern) => pattern.test(code)).map(String)).toEqual([]);
    });
  }
});
