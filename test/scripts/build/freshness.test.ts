import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type BuildTarget,
  checkFreshness,
  ensureFresh,
  listFiles,
} from "../../../scripts/build/freshness.ts";
import { projectRoot, WORKER_BUNDLE } from "../../../scripts/build/targets.ts";

/** A project in a temp dir: sources in src/ (with a generated part to leave out), a build into out/. */
const target: BuildTarget = {
  label: "out/bundle",
  inputs: ["src", "config.toml"],
  excludeInputs: ["src/generated"],
  outputs: ["out"],
  stampFile: "stamps/bundle.json",
};

let root = "";
let builds = 0;

function write(relative: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), text);
}

/** The "build": concatenates the sources into out/bundle.js, like a bundler would. */
function build(): { ok: true } {
  builds += 1;
  const sources = listFiles(root, target.inputs, target.excludeInputs);
  write("out/bundle.js", sources.map((file) => readFileSync(path.join(root, file), "utf8")).join("\n"));
  return { ok: true };
}

const quiet = () => undefined;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "edgewise-freshness-"));
  builds = 0;
  write("src/index.ts", "export const answer = 42;");
  write("src/routes/health.ts", "export const ok = true;");
  write("config.toml", 'name = "edge"');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("checkFreshness", () => {
  it("reports an output that was never built as stale", () => {
    expect(checkFreshness(root, target)).toEqual({ fresh: false, reason: "out/bundle has not been built" });
  });

  it("reports an output built without the tests (no stamp) as stale", () => {
    build();
    const freshness = checkFreshness(root, target);
    expect(freshness.fresh).toBe(false);
  });

  it("is fresh right after ensureFresh built it, and stays fresh while nothing changes", () => {
    expect(ensureFresh(root, target, build, quiet)).toEqual({ rebuilt: true });
    expect(checkFreshness(root, target)).toEqual({ fresh: true });
    expect(ensureFresh(root, target, build, quiet)).toEqual({ rebuilt: false });
    expect(builds).toBe(1);
  });

  it("rebuilds a fresh build when forced, and says nothing of tests outside them", () => {
    ensureFresh(root, target, build, quiet);
    const lines: string[] = [];
    expect(ensureFresh(root, target, build, (line) => lines.push(line), { force: true })).toEqual({
      rebuilt: true,
    });
    expect(builds).toBe(2);
    expect(lines).toEqual(["out/bundle: rebuild asked for: rebuilding it"]);
    expect(checkFreshness(root, target)).toEqual({ fresh: true });
  });

  it("names the changed source files in its reason", () => {
    ensureFresh(root, target, build, quiet);
    write("src/index.ts", "export const answer = 43;");
    write("src/routes/score.ts", "export const score = 1;");
    expect(checkFreshness(root, target)).toEqual({
      fresh: false,
      reason: "out/bundle is older than its sources (src/index.ts, src/routes/score.ts changed)",
    });
  });

  it("goes stale when a source is edited, added, removed or renamed", () => {
    const edits: Array<() => void> = [
      () => write("src/index.ts", "export const answer = 43;"),
      () => write("src/routes/score.ts", "export const score = 1;"),
      () => rmSync(path.join(root, "src/routes/score.ts")),
      () => {
        rmSync(path.join(root, "src/routes/health.ts"));
        write("src/routes/healthz.ts", "export const ok = true;");
      },
      () => write("config.toml", 'name = "edge-2"'),
    ];
    ensureFresh(root, target, build, quiet);
    for (const edit of edits) {
      edit();
      expect(checkFreshness(root, target)).toMatchObject({
        fresh: false,
        reason: expect.stringMatching(/^out\/bundle is older than its sources \((src|config)/),
      });
      ensureFresh(root, target, build, quiet);
      expect(checkFreshness(root, target)).toEqual({ fresh: true });
    }
    expect(builds).toBe(1 + edits.length);
  });

  it("ignores files under an excluded input path", () => {
    ensureFresh(root, target, build, quiet);
    write("src/generated/kernel.wasm", "bytes");
    expect(checkFreshness(root, target)).toEqual({ fresh: true });
  });

  it("goes stale when the output was rebuilt from other sources outside the tests", () => {
    ensureFresh(root, target, build, quiet);
    write("src/index.ts", "export const answer = 7;");
    build();
    write("src/index.ts", "export const answer = 42;");
    // The sources match the stamp again, but the bundle holds answer = 7.
    expect(checkFreshness(root, target)).toMatchObject({
      fresh: false,
      reason: expect.stringContaining("outside the tests"),
    });
  });

  it("treats an unreadable stamp as missing", () => {
    ensureFresh(root, target, build, quiet);
    write(target.stampFile, "{not json");
    expect(checkFreshness(root, target).fresh).toBe(false);
  });
});

describe("ensureFresh", () => {
  it("refuses with the reason and the build's error when the rebuild fails, and records nothing", () => {
    ensureFresh(root, target, build, quiet);
    write("src/index.ts", "export const answer = ;");
    const failing = () => ({ ok: false as const, error: "src/index.ts:1:22: ERROR: Unexpected ';'" });
    expect(() => ensureFresh(root, target, failing, quiet)).toThrow(
      /^out\/bundle is older than its sources \(src\/index\.ts changed\), and rebuilding it failed.*\n.*Unexpected ';'/s,
    );
    expect(checkFreshness(root, target).fresh).toBe(false);
  });

  it("leaves the stamp stale when a source changes while the build runs", () => {
    const editDuringBuild = () => {
      const result = build();
      write("src/index.ts", "export const answer = 99;");
      return result;
    };
    ensureFresh(root, target, editDuringBuild, quiet);
    expect(checkFreshness(root, target).fresh).toBe(false);
  });
});

describe("the Worker bundle's inputs", () => {
  it("cover every source file the Worker imports, so no edit it bundles goes unnoticed", () => {
    const covered = new Set(listFiles(projectRoot, WORKER_BUNDLE.inputs));
    const seen = new Set<string>();
    const pending = ["worker/index.ts"];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) {
        continue;
      }
      seen.add(file);
      const text = readFileSync(path.join(projectRoot, file), "utf8");
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        const imported = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier!));
        if (!imported.startsWith("node_modules/")) {
          pending.push(imported);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((file) => !covered.has(file))).toEqual([]);
  });
});
