import { spawn } from "node:child_process";
import { join } from "node:path";

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
