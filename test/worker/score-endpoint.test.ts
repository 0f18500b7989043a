/**
 * The edge's whole path inside a real workerd: KV → manifest → model bytes → ORT-web session →
 * scores, compared with onnxruntime-node and the TypeScript reference forward pass.
 */
import * as ortNode from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvKeys } from "../../models/contracts/index.ts";
import { createMlpReference } from "../../models/onnx/index.ts";
import { demoFeatureVector } from "../../origin/dev/local-edge/seed-demo.ts";
import { prepareModelUpload } from "../../origin/release/publish/model-entry.ts";
import { type DemoEdge, edgeJson, startDemoEdge } from "../support/local-edge.ts";
import { putUserShards } from "../support/user-shards.ts";

let edge: DemoEdge;

beforeAll(async () => {
  edge = await startDemoEdge({}, { users: 20 });
  const { seeded } = edge;
  // Two users a publish would not write, put in the seeded release's shards before any request reads them.
  const short = {
    userId: "short",
    updatedAt: "2026-01-01T00:00:00Z",
    vectors: { behaviour: [1, 2] },
    producedFor: {},
  };
  await putUserShards(
    await edge.kv("FEATURES"),
    seeded.manifest.users!.count,
    [...seeded.users, short],
    [{ userId: "garbled", text: "{not json" }],
  );
});

afterAll(async () => {
  await edge?.dispose();
});

function userVector(index: number): number[] {
  return edge.seeded.users[index]!.vectors[demoFeatureVector]!;
}

async function nativeScore(vector: number[], graphOptimizationLevel: "all" | "disabled"): Promise<number> {
  const session = await ortNode.InferenceSession.create(edge.seeded.models.behaviour.bytes, {
    graphOptimizationLevel,
  });
  const input = new ortNode.Tensor("float32", Float32Array.from(vector), [1, vector.length]);
  const output = await session.run({ features: input });
  await session.release();
  return (output.score!.data as Float32Array)[0]!;
}

describe("GET /score inside workerd", () => {
  it("scores a stored user's int8 model like onnxruntime-node and the reference forward pass", async () => {
    const reference = createMlpReference(edge.seeded.models.behaviour.options);
    for (const index of [0, 1, 7]) {
      const { status, body } = await edgeJson(edge, `/score?model=demo-behaviour&user_id=demo-${index}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ model: "demo-behaviour", version: "1", user_id: `demo-${index}` });
      const [edgeScore] = body.scores as number[];
      const vector = userVector(index);
      // Same graph, no fusion: ORT-web and unoptimized native ORT both dequantize then MatMul in float32.
      expect(Math.abs(edgeScore! - (await nativeScore(vector, "disabled")))).toBeLessThan(1e-5);
      // Native ORT's optimizer fuses DequantizeLinear→MatMul into an integer kernel that also quantizes
      // the activations (8-bit, per tensor): on a sigmoid output that moves scores by up to ~1e-3.
      expect(Math.abs(edgeScore! - (await nativeScore(vector, "all")))).toBeLessThan(5e-3);
      expect(Math.abs(edgeScore! - reference(Float32Array.from(vector), 1)[0]!)).toBeLessThan(1e-5);
    }
  });

  it("scores a feature vector given in the query", async () => {
    const vector = userVector(3);
    const { status, body } = await edgeJson(edge, `/score?model=demo-behaviour&features=${vector.join(",")}`);
    expect(status).toBe(200);
    expect(body.user_id).toBeUndefined();
    const [byUser] = (await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-3")).body
      .scores as number[];
    expect((body.scores as number[])[0]).toBe(byUser);
  });

  it("answers 404, not 500, for model names that are Object.prototype properties", async () => {
    for (const model of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      const { status, body } = await edgeJson(edge, `/score?model=${model}&user_id=demo-1`);
      expect(status, model).toBe(404);
      expect((body.error as { code: string }).code).toBe("model_not_found");
    }
  });

  it("answers 404, not 500, for a user whose name is an Object.prototype property", async () => {
    for (const userId of ["__proto__", "constructor", "toString"]) {
      const { status } = await edgeJson(edge, `/score?model=demo-behaviour&user_id=${userId}`);
      expect(status, userId).toBe(404);
    }
  });

  it("refuses a feature vector that overflows float32 with 400", async () => {
    const vector = userVector(3).map((value, i) => (i === 2 ? 1e308 : value));
    const { status, body } = await edgeJson(
      edge,
      `/score?model=demo-behaviour&features=${encodeURIComponent(vector.join(","))}`,
    );
    expect(status).toBe(400);
    const error = body.error as { code: string; message: string };
    expect(error.code).toBe("invalid_features");
    expect(error.message).toContain("features[2]");
  });

  it("answers 422, never a null score, when the model's output for extreme inputs is not finite", async () => {
    // Finite float32 values this large overflow inside the network (Infinity − Infinity is NaN).
    const vector = userVector(3).map(() => 3e38);
    const { status, body } = await edgeJson(
      edge,
      `/score?model=demo-behaviour&features=${encodeURIComponent(vector.join(","))}`,
    );
    expect(status).toBe(422);
    expect((body.error as { code: string }).code).toBe("output_not_finite");
  });

  it("refuses a NUL or control-character user_id with 400", async () => {
    for (const userId of ["%00", "demo-1%00", "a%0Ab", "%7F"]) {
      const { status, body } = await edgeJson(edge, `/score?model=demo-behaviour&user_id=${userId}`);
      expect(status, userId).toBe(400);
      expect((body.error as { message: string }).message).toContain("user_id");
    }
  });

  it("creates the session once and reuses it on later requests", async () => {
    await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-2");
    const before = (await edgeJson(edge, "/health")).body.sessions as { created: number };
    for (let i = 0; i < 5; i++) {
      expect((await edgeJson(edge, `/score?model=demo-behaviour&user_id=demo-${i}`)).status).toBe(200);
    }
    const after = (await edgeJson(edge, "/health")).body;
    expect((after.sessions as { created: number }).created).toBe(before.created);
    expect(after.models).toContainEqual(expect.objectContaining({ name: "demo-behaviour", loaded: true }));
    expect(after.models).toContainEqual(expect.objectContaining({ name: "demo-item-scorer", loaded: false }));
  });
});

describe("GET /score with bad input answers 4xx with a message and keeps serving", () => {
  const cases: Array<[string, string, number, string]> = [
    ["an unknown user", "/score?model=demo-behaviour&user_id=nobody", 404, "user_not_found"],
    ["a missing model", "/score?model=no-such-model&user_id=demo-1", 404, "model_not_found"],
    ["no user and no features", "/score?model=demo-behaviour", 400, "invalid_query"],
    ["both user and features", "/score?model=demo-behaviour&user_id=demo-1&features=1", 400, "invalid_query"],
    ["no model", "/score?user_id=demo-1", 400, "invalid_query"],
    ["a model name with a path in it", "/score?model=../etc&user_id=demo-1", 400, "invalid_query"],
    ["features that are not numbers", "/score?model=demo-behaviour&features=1,abc", 400, "invalid_features"],
    ["an empty feature", "/score?model=demo-behaviour&features=1,,2", 400, "invalid_features"],
    ["too few features", "/score?model=demo-behaviour&features=1,2,3", 422, "feature_length_mismatch"],
    [
      "a model that takes no dense vector",
      "/score?model=demo-item-scorer&user_id=demo-1",
      400,
      "model_not_dense",
    ],
  ];
  it.each(cases)("rejects %s", async (_name, url, status, code) => {
    const { status: actual, body } = await edgeJson(edge, url);
    expect(actual).toBe(status);
    const error = body.error as { code: string; message: string };
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it("rejects a stored vector of the wrong length", async () => {
    const { status, body } = await edgeJson(edge, "/score?model=demo-behaviour&user_id=short");
    expect(status).toBe(422);
    expect((body.error as { message: string }).message).toContain("takes 16 features; got 2");
  });

  it("treats a corrupt user record as an unknown user, and serves the users beside it in its shard", async () => {
    const { status } = await edgeJson(edge, "/score?model=demo-behaviour&user_id=garbled");
    expect(status).toBe(404);
    expect((await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-4")).status).toBe(200);
  });

  it("refuses a corrupt model with 503 and serves the others", async () => {
    const models = await edge.kv("MODELS");
    const manifest = structuredClone(edge.seeded.manifest);
    const entry = structuredClone(manifest.models["demo-behaviour"]!);
    entry.name = "corrupt";
    entry.version = "9";
    entry.keys = ["model/corrupt/9/0"];
    manifest.models.corrupt = entry;
    manifest.version += 1;
    const bytes = edge.seeded.models.behaviour.bytes.slice();
    bytes[bytes.length >> 1]! ^= 0xff;
    await models.put("model/corrupt/9/0", bytes);
    await models.put(kvKeys.currentManifest, JSON.stringify(manifest));

    const attempts = async () =>
      ((await edgeJson(edge, "/health")).body.sessions as { attempts: number }).attempts;
    const before = await attempts();
    for (let i = 0; i < 3; i++) {
      const corrupt = await edgeJson(edge, "/score?model=corrupt&user_id=demo-1");
      expect(corrupt.status).toBe(503);
      expect((corrupt.body.error as { code: string }).code).toBe("model_checksum_mismatch");
    }
    // The failure is remembered for a while: one attempt, not one per request.
    expect((await attempts()) - before).toBe(1);
    expect((await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-1")).status).toBe(200);
    expect((await edgeJson(edge, "/health")).status).toBe(200);
  });

  it("answers 503 for bytes that match their checksum but are not a model, and keeps serving", async () => {
    const models = await edge.kv("MODELS");
    const garbage = new TextEncoder().encode("this is not an ONNX model");
    const upload = await prepareModelUpload(
      { ...edge.seeded.models.behaviour, name: "garbage", version: "1", bytes: garbage },
      { featureVector: demoFeatureVector },
    );
    for (const chunk of upload.chunks) {
      await models.put(chunk.key, chunk.value);
    }
    const manifest = structuredClone(edge.seeded.manifest);
    manifest.models.garbage = upload.entry;
    manifest.version += 2;
    await models.put(kvKeys.currentManifest, JSON.stringify(manifest));

    const { status, body } = await edgeJson(edge, "/score?model=garbage&user_id=demo-1");
    expect(status).toBe(503);
    expect((body.error as { code: string }).code).toBe("model_unavailable");
    expect((await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-1")).status).toBe(200);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const { status, body } = await edgeJson(edge, "/nope");
    expect(status).toBe(404);
    expect((body.error as { code: string }).code).toBe("not_found");
  });
});
