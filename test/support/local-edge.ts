import path from "node:path";
import {
  type LocalEdge,
  type LocalQueueOptions,
  startLocalEdge,
} from "../../origin/dev/local-edge/local-edge.ts";
import { type DemoSeedResult, seedDemo } from "../../origin/dev/local-edge/seed-demo.ts";
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

/** What the demo release holds: its catalogue, models and users (`edgewise dev` seeds 100 users). */
export interface DemoEdge extends TestEdge {
  seeded: DemoSeedResult;
}

/** Publishes the demo release into the edge's KV, as the origin would. */
export async function seedDemoRelease(
  edge: LocalEdge,
  seed: { users?: number } = {},
): Promise<DemoSeedResult> {
  return seedDemo({ models: await edge.kv("MODELS"), features: await edge.kv("FEATURES") }, seed);
}

/** A test edge (see startTestEdge) serving the demo release. */
export async function startDemoEdge(
  vars: Record<string, string>,
  seed: { users?: number },
): Promise<DemoEdge> {
  const edge = await startTestEdge(vars);
  return Object.assign(edge, { seeded: await seedDemoRelease(edge, seed) });
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
