import path from "node:path";
import {
  type LocalEdge,
  type LocalQueueOptions,
  startLocalEdge,
} from "../../origin/dev/local-edge/local-edge.ts";
import { issueApiKey } from "../../origin/release/publish/api-keys.ts";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");

export interface TestEdge extends LocalEdge {
  /** A valid API key issued to this edge's KV; edgeJson sends it by default. */
  apiKey: string;
}

/**
 * A real workerd running the built Worker with in-memory KV. The manifest TTL is 0 so a test sees
 * what it just published without waiting.
 */
export async function startTestEdge(
  vars: Record<string, string> = {},
  options: { queue?: LocalQueueOptions } = {},
): Promise<TestEdge> {
  const edge = await startLocalEdge({
    rootDir: projectRoot,
    vars: { MANIFEST_TTL_SECONDS: "0", ...vars },
    ...(options.queue ? { queue: options.queue } : {}),
  });
  const apiKey = await issueApiKey(await edge.kv("MODELS"), "tests");
  return Object.assign(edge, { apiKey });
}

/** A request to the edge (with its API key unless the init says otherwise); status and parsed JSON. */
export async function edgeJson(
  edge: TestEdge,
  pathAndQuery: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization") && !headers.has("x-api-key")) {
    headers.set("authorization", `Bearer ${edge.apiKey}`);
  }
  const response = await fetch(new URL(pathAndQuery, edge.url), { ...init, headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}
