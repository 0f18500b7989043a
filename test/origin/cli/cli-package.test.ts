/**
 * `edgewise` as an installed package runs compiled JavaScript: npm pack builds dist/node (prepack) and
 * ships it without the TypeScript sources, and the packed bin runs with plain Node. The packed tree is
 * run with this clone's node_modules linked beside it, which stands for `npm install edgewise-*.tgz`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../../scripts/build/targets.ts";

let dir: string;
let packageDir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "edgewise-pack-"));
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli ? [process.execPath, [npmCli]] : ["npm", []];
  execFileSync(command, [...args, "pack", "--pack-destination", dir, "--silent"], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
  execFileSync("tar", ["-xzf", path.join(dir, tarball!), "-C", dir]);
  packageDir = path.join(dir, "package");
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(packageDir, "node_modules"));
}, 600_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function edgewise(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(packageDir, "bin", "edgewise.mjs"), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

describe("the packed edgewise command", () => {
  it("ships compiled JavaScript and the migrations, not the TypeScript sources", () => {
    expect(existsSync(path.join(packageDir, "dist", "node", "origin", "cli", "main.js"))).toBe(true);
    expect(existsSync(path.join(packageDir, "origin"))).toBe(false);
    expect(readdirSync(path.join(packageDir, "migrations")).some((name) => name.endsWith(".sql"))).toBe(true);
  });

  it("prints its commands, and each command's help names the README's sections", () => {
    const help = edgewise(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/usage: edgewise <command>/);
    expect(help.stdout).toMatch(/\bserve\b/);
    const serve = edgewise(["serve", "--help"]);
    expect(serve.status).toBe(0);
    expect(serve.stdout).not.toMatch(/origin\/README\.md/);
    expect(serve.stdout).toMatch(/README/);
  });

  it("migrates a PGlite database with plain Node", () => {
    const migrate = edgewise(["migrate"], { PGLITE_DIR: path.join(dir, "db") });
    expect(migrate.stderr).toBe("");
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toMatch(/applied (\d+) of \1 migrations/);
  });
});
