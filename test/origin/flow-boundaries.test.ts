/**
 * The origin's folders are its flows (ingest, release, train, learn, dev) and two doors (cli/, the HTTP
 * server/). These tests read the relative imports of every origin/**\/*.ts file, type-only and dynamic
 * ones included, and hold the layout to its rules: another folder is entered only through its index.ts,
 * folders import each other without cycles, and each flow depends only on the flows beneath it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  crossFolderImports as crossFolderOf,
  folderCycles,
  folderGraph,
  importsUnder,
} from "../support/import-graph.ts";

const ORIGIN = path.resolve(import.meta.dirname, "..", "..", "origin");

/** Lowest first: a flow may import the flows before it, never one after it. */
const FLOWS = ["ingest", "release", "train", "learn", "dev"];
/** Entry points that wire flows together; no flow imports them. */
const DOORS = ["cli", "server"];

const originImports = () => importsUnder(ORIGIN);

/** The top-level folder a path under origin/ sits in, or null for a file at origin/'s root (config.ts). */
function folderOf(file: string): string | null {
  const parts = file.split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : null;
}

const crossFolderImports = () => crossFolderOf(originImports(), folderOf);

describe("origin flow boundaries", () => {
  it("finds the imports it checks", () => {
    // Guards the parsing: a pattern that matched nothing would make every rule below pass.
    expect(crossFolderImports().length).toBeGreaterThan(50);
  });

  it("has only flow and door folders at origin/'s top level", () => {
    const folders = readdirSync(ORIGIN, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual([...FLOWS, ...DOORS].sort());
  });

  it("gives every flow an index.ts door", () => {
    for (const flow of FLOWS) {
      expect(readdirSync(path.join(ORIGIN, flow)), flow).toContain("index.ts");
    }
  });

  it("imports another origin folder only through its index.ts", () => {
    const bypassing = crossFolderImports()
      .filter((imp) => imp.to !== path.join(imp.toFolder, "index.ts"))
      .map((imp) => `${imp.from} -> ${imp.to}`);
    expect(bypassing).toEqual([]);
  });

  it("has no import cycle between origin folders", () => {
    expect(folderCycles(folderGraph(crossFolderImports()))).toEqual([]);
  });

  it("lets a flow import only the flows beneath it, and no door", () => {
    const upward = crossFolderImports()
      .filter((imp) => FLOWS.includes(imp.fromFolder))
      .filter(
        (imp) => !FLOWS.includes(imp.toFolder) || FLOWS.indexOf(imp.toFolder) > FLOWS.indexOf(imp.fromFolder),
      )
      .map((imp) => `${imp.from} -> ${imp.to}`);
    expect(upward).toEqual([]);
  });
});
