/**
 * What the publish protocol tests share: a real workerd edge with publish targets over its KV, demo
 * releases built from seeds (so two releases have different weights), and what the edge serves.
 */
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { buildDemoModels, createMlpReference } from "../../../../../models/onnx/index.ts";
import { demoFeatureVector } from "../../../../../origin/dev/local-edge/seed-demo.ts";
import {
  type CloudflareKvConfig,
  createCloudflareKvWriter,
} from "../../../../../origin/release/publish/cloudflare-kv-writer.ts";
import {
  type KvWriter,
  listAllKeys,
  type PublishTargets,
} from "../../../../../origin/release/publish/kv-writer.ts";
import type { ReleaseModel } from "../../../../../origin/release/publish/publish-release.ts";
import { type CloudflareKvApi, startCloudflareKvApi } from "../../../../support/cloudflare-kv-api.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../../../../support/local-edge.ts";

export interface PublishEdge {
  edge: TestEdge;
  targets: PublishTargets;
}

async function startPublishEdge(): Promise<PublishEdge> {
  const edge = await startTestEdge();
  return { edge, targets: await edge.publishTargets() };
}

/**
 * The edge the enclosing file's tests publish to: started before the first test, emptied before each
 * (clearKv) and disposed after the last. Its fields exist once `beforeAll` has run.
 */
export function publishEdgeForSuite(): PublishEdge {
  let started: PublishEdge | undefined;
  const current = () => {
    if (started === undefined) {
      throw new Error("the publish edge was used before its beforeAll started it");
    }
    return started;
  };
  beforeAll(async () => {
    started = await startPublishEdge();
  });
  afterAll(async () => {
    await started?.edge.dispose();
  });
  beforeEach(async () => {
    await clearKv(current().targets);
  });
  return {
    get edge() {
      return current().edge;
    },
    get targets() {
      return current().targets;
    },
  };
}

/**
 * The fake Cloudflare KV REST API over the edge's MODELS and FEATURES namespaces, and publish targets
 * that write through it with the REST client (and `retry`, when given). The caller closes the API.
 */
export async function startCloudflarePublishTargets(
  edge: TestEdge,
  retry?: CloudflareKvConfig["retry"],
): Promise<{ api: CloudflareKvApi; targets: PublishTargets }> {
  const account = { accountId: "acct", apiToken: "token" };
  const api = await startCloudflareKvApi({
    edge,
    ...account,
    namespaces: { "models-ns": "MODELS", "features-ns": "FEATURES" },
  });
  const writer = (namespaceId: string) =>
    createCloudflareKvWriter({ ...account, namespaceId, baseUrl: api.baseUrl, ...(retry ? { retry } : {}) });
  return { api, targets: { models: writer("models-ns"), features: writer("features-ns") } };
}

/** Deletes every key a release writes (the test's API key stays), so each test starts with nothing published. */
async function clearKv(targets: PublishTargets): Promise<void> {
  for (const [writer, prefix] of [
    [targets.models, "manifest/"],
    [targets.models, "model/"],
    [targets.models, "artifact/"],
    [targets.features, "users/"],
  ] as const) {
    await writer.deleteMany((await listAllKeys(writer, prefix)).map((key) => key.name));
  }
}

/** The demo behaviour model of `seed` under `name`@`version`, fed by the users' behaviour vector. */
export function behaviourModel(name: string, version: string, seed: number): ReleaseModel {
  const { behaviour } = buildDemoModels(seed);
  return { ...behaviour, name, version, featureVector: demoFeatureVector };
}

export function itemScorerModel(name: string, version: string, seed: number): ReleaseModel {
  return { ...buildDemoModels(seed).itemScorer, name, version };
}

/** A fixed input the behaviour models score at the edge. */
export const probeFeatures = Array.from({ length: 16 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);

/** What the TypeScript reference forward pass gives for the demo behaviour model of `seed`. */
export function referenceScore(seed: number, features = probeFeatures): number {
  const reference = createMlpReference(buildDemoModels(seed).behaviour.options);
  return reference(Float32Array.from(features), 1)[0]!;
}

/** The manifest version the edge reports, and the version and score it serves for `model`. */
export async function served(
  edge: TestEdge,
  model: string,
): Promise<{ manifestVersion: number | null; modelVersion: string; score: number }> {
  const health = await edgeJson(edge, "/health");
  const manifest = health.body.manifest as { version: number } | null;
  const scored = await edgeJson(edge, `/score?model=${model}&features=${probeFeatures.join(",")}`);
  expect(scored.status, JSON.stringify(scored.body)).toBe(200);
  return {
    manifestVersion: manifest?.version ?? null,
    modelVersion: scored.body.version as string,
    score: (scored.body.scores as number[])[0]!,
  };
}

/** A writer that records the keys it is asked to write, and fails on the ones `failOn` picks. */
export function recordingWriter(
  inner: KvWriter,
  failOn: (key: string) => boolean = () => false,
): KvWriter & { written: string[] } {
  const written: string[] = [];
  return {
    ...inner,
    written,
    async putMany(pairs) {
      const failing = pairs.find((pair) => failOn(pair.key));
      if (failing) {
        throw new Error(`simulated crash before writing ${failing.key}`);
      }
      written.push(...pairs.map((pair) => pair.key));
      await inner.putMany(pairs);
    },
  };
}
