/**
 * Whether a build output (the wasm kernels, the Worker bundle in dist/worker) was built from the sources
 * as they are now. A stamp beside the build records the sha256 of each input file and one over its outputs
 * when the tests last built it; the build is fresh when both still match. Hashing the outputs too catches a
 * bundle rebuilt by hand from other sources (the stamp would otherwise still describe the old one).
 * Content hashes rather than mtimes: a checkout or a stash pop rewrites mtimes without changing code,
 * and an edit restored with its old mtime would look fresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface BuildTarget {
  /** What the message calls it: "dist/worker". */
  label: string;
  /** Files and directories (walked recursively) the build reads, relative to the root. */
  inputs: readonly string[];
  /** Inputs to leave out (relative paths, matched as prefixes): a build output inside an input directory. */
  excludeInputs?: readonly string[];
  /** Directories or files the build writes, relative to the root. */
  outputs: readonly string[];
  /** Where the stamp is kept, relative to the root. */
  stampFile: string;
}

export interface BuildStamp {
  /** sha256 of each input file when the build started, by relative path. */
  inputs: Record<string, string>;
  /** sha256 over the output files when the build finished. */
  outputsSha256: string;
}

export type Freshness = { fresh: true } | { fresh: false; reason: string };

/** Every file under the given paths (relative, sorted, `/`-separated), missing paths skipped. */
export function listFiles(
  rootDir: string,
  paths: readonly string[],
  exclude: readonly string[] = [],
): string[] {
  const files: string[] = [];
  const excluded = (relative: string) =>
    exclude.some((prefix) => relative === prefix || relative.startsWith(`${prefix}/`));
  const visit = (relative: string) => {
    if (excluded(relative)) {
      return;
    }
    const absolute = path.join(rootDir, relative);
    if (!existsSync(absolute)) {
      return;
    }
    if (statSync(absolute).isDirectory()) {
      for (const entry of readdirSync(absolute)) {
        visit(`${relative}/${entry}`);
      }
    } else {
      files.push(relative);
    }
  };
  for (const entry of paths) {
    visit(entry.replace(/\/+$/, ""));
  }
  return [...new Set(files)].sort();
}

/** sha256 over each file's path and bytes, so a rename, an added or a removed file changes it too. */
export function hashFiles(rootDir: string, files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(rootDir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Each input file's sha256 by relative path: the stamp can then say which file changed. */
export function hashInputs(rootDir: string, target: BuildTarget): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of listFiles(rootDir, target.inputs, target.excludeInputs)) {
    hashes[file] = createHash("sha256")
      .update(readFileSync(path.join(rootDir, file)))
      .digest("hex");
  }
  return hashes;
}

export function hashOutputs(rootDir: string, target: BuildTarget): string {
  return hashFiles(rootDir, listFiles(rootDir, target.outputs, [target.stampFile]));
}

export function readStamp(rootDir: string, target: BuildTarget): BuildStamp | null {
  const file = path.join(rootDir, target.stampFile);
  if (!existsSync(file)) {
    return null;
  }
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<BuildStamp>;
    return typeof parsed.inputs === "object" &&
      parsed.inputs !== null &&
      typeof parsed.outputsSha256 === "string"
      ? { inputs: parsed.inputs, outputsSha256: parsed.outputsSha256 }
      : null;
  } catch {
    // An unreadable stamp says nothing about the build: treat it as missing, which rebuilds.
    return null;
  }
}

/** The input files added, removed or edited between two hash maps, sorted. */
export function changedInputs(recorded: Record<string, string>, now: Record<string, string>): string[] {
  const files = new Set([...Object.keys(recorded), ...Object.keys(now)]);
  return [...files].filter((file) => recorded[file] !== now[file]).sort();
}

export function checkFreshness(rootDir: string, target: BuildTarget): Freshness {
  if (listFiles(rootDir, target.outputs).length === 0) {
    return { fresh: false, reason: `${target.label} has not been built` };
  }
  const recorded = readStamp(rootDir, target);
  if (recorded === null) {
    return { fresh: false, reason: `${target.label} has no record of the sources it was built from` };
  }
  const changed = changedInputs(recorded.inputs, hashInputs(rootDir, target));
  if (changed.length > 0) {
    const shown = changed.slice(0, 3).join(", ");
    const more = changed.length > 3 ? ` and ${changed.length - 3} more` : "";
    return { fresh: false, reason: `${target.label} is older than its sources (${shown}${more} changed)` };
  }
  if (hashOutputs(rootDir, target) !== recorded.outputsSha256) {
    return { fresh: false, reason: `${target.label} was rebuilt or changed outside the tests` };
  }
  return { fresh: true };
}

/**
 * Makes sure the target is fresh: rebuilds it with `rebuild` when it is not (or always, with `force`),
 * then records the stamp. The inputs are hashed before the build, so an edit made while it runs leaves
 * the stamp stale. Throws with the reason and the build's own error when the rebuild fails, so nothing
 * (a test, `npm start`) runs an old build. `forTests` words the messages for the test setups.
 */
export function ensureFresh(
  rootDir: string,
  target: BuildTarget,
  rebuild: () => { ok: true } | { ok: false; error: string },
  log: (line: string) => void = console.log,
  options: { force?: boolean; forTests?: boolean } = { forTests: true },
): { rebuilt: boolean } {
  const freshness: Freshness = options.force
    ? { fresh: false, reason: `${target.label}: rebuild asked for` }
    : checkFreshness(rootDir, target);
  if (freshness.fresh) {
    return { rebuilt: false };
  }
  log(`${freshness.reason}: rebuilding it${options.forTests ? " before the tests" : ""}`);
  const inputs = hashInputs(rootDir, target);
  const result = rebuild();
  if (!result.ok) {
    throw new Error(
      options.forTests
        ? `${freshness.reason}, and rebuilding it failed, so the tests would run an old build. ` +
            `Fix the build (\`npm run build\` shows the same error) and run the tests again.\n${result.error}`
        : `${freshness.reason}, and rebuilding it failed:\n${result.error}`,
    );
  }
  const file = path.join(rootDir, target.stampFile);
  mkdirSync(path.dirname(file), { recursive: true });
  const stamp: BuildStamp = { inputs, outputsSha256: hashOutputs(rootDir, target) };
  writeFileSync(file, `${JSON.stringify(stamp, null, 2)}\n`);
  return { rebuilt: true };
}
