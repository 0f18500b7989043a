import { createRequire } from "node:module";
import { ConfigError } from "../../config.ts";

/**
 * onnxruntime-node, which only the optional ONNX encoders (IMAGE_ENCODER_MODEL, TEXT_ENCODER_MODEL) need:
 * an optional dependency (about 290 MB of native libraries), so an install with `--omit=optional`, or on a
 * platform it has no binaries for, still runs everything else. Loaded on first use.
 */
const PACKAGE = "onnxruntime-node";

type OnnxRuntimeNode = typeof import("onnxruntime-node");

function missingMessage(setting: string, cause: string): string {
  return `${setting} needs ${PACKAGE}, an optional dependency that cannot be loaded here (${cause}): install it with \`npm install ${PACKAGE}\` or unset ${setting}`;
}

/**
 * Throws a ConfigError naming `setting` when onnxruntime-node is not installed; checked at configuration.
 * `name` is the package looked for (tests pass one that is not installed).
 */
export function requireOnnxRuntimeNode(setting: string, name = PACKAGE): void {
  try {
    createRequire(import.meta.url).resolve(name);
  } catch {
    throw new ConfigError("invalid origin configuration", [missingMessage(setting, "not installed")]);
  }
}

/** The package, or an error that says which setting needs it and how to install it. */
export async function loadOnnxRuntimeNode(setting: string, name = PACKAGE): Promise<OnnxRuntimeNode> {
  try {
    return await import(name);
  } catch (error) {
    throw new Error(missingMessage(setting, (error as Error).message.split("\n")[0]!), { cause: error });
  }
}
