/**
 * The edge's folders and the rules they keep (ARCHITECTURE.md): the root holds only the Worker's entry and
 * its app; folders import each other without cycles; routes parse and answer, so the decision engine is
 * reached only through the recommend flow; and the code behind the routes is free of Hono, so it runs
 * unchanged in Node tests.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  crossFolderImports,
  folderCycles,
  folderGraph,
  importsUnder,
  packageImportsUnder,
} from "../support/import-graph.ts";

const WORKER = path.resolve(import.meta.dirname, "..", "..", "worker");

/** The folder a path under worker/ sits in ("." for the root's files). */
const folderOf = (file: string) => path.dirname(file);
const edges = () => crossFolderImports(importsUnder(WORKER), folderOf);

/** Folders that only the HTTP layer (app, http/, routes/, the queue entry) may tie to Hono. */
const HONO_FREE = ["cache", "decision", "events", "learning", "recommend", "runtime", "store"];

describe("edge layout", () => {
  it("finds the imports it checks", () => {
    // Guards the parsing: a pattern that matched nothing would make every rule below pass.
    expect(edges().length).toBeGreaterThan(30);
  });

  it("keeps only the entry and the app at worker/'s root", () => {
    const files = readdirSync(WORKER, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => entry.name)
      .sort();
    expect(files).toEqual(["app.ts", "index.ts"]);
  });

  it("has no import cycle between edge folders", () => {
    expect(folderCycles(folderGraph(edges()))).toEqual([]);
  });

  it("reaches the decision engine from routes only through the recommend flow", () => {
    const direct = edges()
      .filter((edge) => edge.fromFolder === "routes" && edge.toFolder === "decision")
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(direct).toEqual([]);
  });

  it("keeps Hono out of the code behind the routes", () => {
    const tied = [...packageImportsUnder(WORKER)]
      .filter(([file]) => HONO_FREE.includes(file.split(path.sep)[0] as string))
      .filter(([, packages]) => packages.some((name) => name === "hono" || name.startsWith("hono/")))
      .map(([file]) => file);
    expect(tied).toEqual([]);
  });
});
