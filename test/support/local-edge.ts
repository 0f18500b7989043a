import path from "node:path";
import { type LocalEdge, startLocalEdge } from "../../origin/local-edge/local-edge.ts";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");

/**
 * A real workerd running the built Worker with in-memory KV. The manifest TTL is 0 so a test sees
 * what it just published without waiting.
 */
export function startTestEdge(vars: Record<string, string> = {}): Promise<LocalEdge> {
  return startLocalEdge({ rootDir: projectRoot, vars: { MANIFEST_TTL_SECONDS: "0", ...vars } });
}

/** GET or POST a path on the edge and return the status and parsed JSON body. */
export async function edgeJson(
  edge: LocalEdge,
  pathAndQuery: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(pathAndQuery, edge.url), init);
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body };
}
