import { spawn } from "node:child_process";
import { join } from "node:path";
import { vi } from "vitest";
import { main } from "../../../origin/cli/main.ts";

export const EDGEWISE_BIN = join(import.meta.dirname, "..", "..", "..", "bin", "edgewise.mjs");

/**
 * Runs `edgewise ARGS` as a child process with only PATH and `env` in its environment (so the test
 * process's own configuration never leaks in), and collects its exit code and output.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EDGEWISE_BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      ...options,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `edgewise ARGS` in this process (its `main`), with what it prints collected instead of shown. */
export async function runCliInProcess(...args: string[]): Promise<{ code: number; out: string }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const code = await main(args);
    return { code, out: [...log.mock.calls, ...error.mock.calls].map((call) => String(call[0])).join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * Points this process's configuration at one PGlite directory and no other store, as an operator's
 * environment would; the caller restores `process.env` after.
 */
export function usePgliteConfig(dataDir: string): void {
  process.env.EVENT_STORE = "pglite";
  process.env.PGLITE_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.MONGODB_URL;
}
