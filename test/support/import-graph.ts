/**
 * The relative imports of every .ts file under a root folder (type-only and dynamic ones included), and the
 * folder graph they make: what the layout tests of the origin and the edge hold to their rules.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface Import {
  /** The importing file, relative to the root. */
  from: string;
  /** The imported file, relative to the root. */
  to: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return tsFiles(full);
    }
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Block and line comments go first, so an example in a comment never counts as an import. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Every relative import from a file under `root` to a file under `root`. */
export function importsUnder(root: string): Import[] {
  const imports: Import[] = [];
  for (const file of tsFiles(root)) {
    const source = withoutComments(readFileSync(file, "utf8"));
    for (const match of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.resolve(path.dirname(file), match[1] as string);
      if (target.startsWith(root + path.sep)) {
        imports.push({ from: path.relative(root, file), to: path.relative(root, target) });
      }
    }
  }
  return imports;
}

/** The package specifiers (`hono`, `hono/timing`, …) each file under `root` imports, by file. */
export function packageImportsUnder(root: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const file of tsFiles(root)) {
    const source = withoutComments(readFileSync(file, "utf8"));
    const packages = [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^."'][^"']*)["']/g)].map(
      (match) => match[1] as string,
    );
    byFile.set(path.relative(root, file), packages);
  }
  return byFile;
}

/** Edges between different folders, with `folderOf` naming each file's folder (null: not in one). */
export function crossFolderImports(
  imports: readonly Import[],
  folderOf: (file: string) => string | null,
): Array<Import & { fromFolder: string; toFolder: string }> {
  return imports.flatMap((imp) => {
    const fromFolder = folderOf(imp.from);
    const toFolder = folderOf(imp.to);
    return fromFolder !== null && toFolder !== null && fromFolder !== toFolder
      ? [{ ...imp, fromFolder, toFolder }]
      : [];
  });
}

export function folderGraph(
  edges: ReadonlyArray<{ fromFolder: string; toFolder: string }>,
): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const targets = graph.get(edge.fromFolder) ?? new Set<string>();
    targets.add(edge.toFolder);
    graph.set(edge.fromFolder, targets);
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as the folders along it. */
export function folderCycles(graph: Map<string, Set<string>>): string[][] {
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
