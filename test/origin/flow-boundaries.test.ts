/**
 * The origin's folders are its flows (ingest, release, train, learn, dev) and two doors (cli/, the HTTP
 * server/). These tests read the relative imports of every origin/**\/*.ts file, type-only and dynamic
 * ones included, and hold the layout to its rules: another folder is entered only through its index.ts,
 * folders import each other without cycles, and each flow depends only on the flows beneath it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ORIGIN = path.resolve(import.meta.dirname, "..", "..", "origin");

/** Lowest first: a flow may import the flows before it, never one after it. */
const FLOWS = ["ingest", "release", "train", "learn", "dev"];
/** Entry points that wire flows together; no flow imports them. */
const DOORS = ["cli", "server"];

interface Import {
  /** The importing file, relative to origin/. */
  from: string;
  /** The imported file, relative to origin/. */
  to: string;
}

function originFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return originFiles(full);
    }
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function originImports(): Import[] {
  const imports: Import[] = [];
  for (const file of originFiles(ORIGIN)) {
    // Block and line comments go first, so an example in a comment never counts as an import.
    const source = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const match of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.resolve(path.dirname(file), match[1] as string);
      if (target.startsWith(ORIGIN + path.sep)) {
        imports.push({ from: path.relative(ORIGIN, file), to: path.relative(ORIGIN, target) });
      }
    }
  }
  return imports;
}

/** The top-level folder a path under origin/ sits in, or null for a file at origin/'s root (config.ts). */
function folderOf(file: string): string | null {
  const parts = file.split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : null;
}

function crossFolderImports(): Array<Import & { fromFolder: string; toFolder: string }> {
  return originImports().flatMap((imp) => {
    const fromFolder = folderOf(imp.from);
    const toFolder = folderOf(imp.to);
    return fromFolder !== null && toFolder !== null && fromFolder !== toFolder
      ? [{ ...imp, fromFolder, toFolder }]
      : [];
  });
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const imp of crossFolderImports()) {
    const targets = graph.get(imp.fromFolder) ?? new Set<string>();
    targets.add(imp.toFolder);
    graph.set(imp.fromFolder, targets);
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as the folders along it. */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const walk = (folder: string, trail: string[]): void => {
    const seenAt = trail.indexOf(folder);
    if (seenAt !== -1) {
      cycles.push([...trail.slice(seenAt), folder]);
      return;
    }
    if (done.has(folder)) {
      return;
    }
    for (const next of graph.get(folder) ?? []) {
      walk(next, [...trail, folder]);
    }
    done.add(folder);
  };
  for (const folder of graph.keys()) {
    walk(folder, []);
  }
  return cycles;
}

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
    expect(folderCycles(folderGraph())).toEqual([]);
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
