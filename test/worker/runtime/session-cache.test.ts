/**
 * The session cache's bookkeeping (pure TypeScript, run in Node): one creation per version, failures
 * remembered, and a superseded version released only once no run uses it. Sessions here are plain
 * objects with a release counter; the real ORT sessions are exercised inside workerd by
 * test/worker/score-endpoint.test.ts.
 */
import type { InferenceSession } from "onnxruntime-web/wasm";
import { describe, expect, it } from "vitest";
import { SessionCache } from "../../../worker/runtime/session-cache.ts";

function fakeSession(): InferenceSession & { releases: number } {
  const session = {
    releases: 0,
    release: async () => {
      session.releases += 1;
    },
  };
  return session as unknown as InferenceSession & { releases: number };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("SessionCache", () => {
  it("creates a version once for concurrent and later runs", async () => {
    const cache = new SessionCache();
    const session = fakeSession();
    let creations = 0;
    const create = async () => {
      creations += 1;
      return session;
    };
    await Promise.all([1, 2, 3].map(() => cache.use("m", "1", create, async () => undefined)));
    await cache.use("m", "1", create, async () => undefined);
    expect(creations).toBe(1);
    expect(cache.created).toBe(1);
  });

  it("keeps a superseded session until the run using it finishes, then releases it", async () => {
    const cache = new SessionCache();
    const v1 = fakeSession();
    const v2 = fakeSession();
    let finishRun!: () => void;
    const running = cache.use(
      "m",
      "1",
      async () => v1,
      () => new Promise<void>((resolve) => (finishRun = resolve)),
    );
    await settle();
    await cache.use(
      "m",
      "2",
      async () => v2,
      async () => undefined,
    );
    await settle();
    expect(v1.releases).toBe(0);
    finishRun();
    await running;
    await settle();
    expect(v1.releases).toBe(1);
    expect(v2.releases).toBe(0);
    expect(cache.has("m", "1")).toBe(false);
    expect(cache.has("m", "2")).toBe(true);
  });

  it("releases a superseded session at once when nothing uses it", async () => {
    const cache = new SessionCache();
    const v1 = fakeSession();
    await cache.use(
      "m",
      "1",
      async () => v1,
      async () => undefined,
    );
    await cache.use(
      "m",
      "2",
      async () => fakeSession(),
      async () => undefined,
    );
    await settle();
    expect(v1.releases).toBe(1);
  });

  it("remembers a failed creation instead of retrying it on every run", async () => {
    const cache = new SessionCache();
    let attempts = 0;
    const failing = async (): Promise<InferenceSession> => {
      attempts += 1;
      throw new Error("corrupt model");
    };
    for (let i = 0; i < 3; i++) {
      await expect(cache.use("m", "1", failing, async () => undefined)).rejects.toThrow("corrupt model");
    }
    expect(attempts).toBe(1);
    expect(cache.attempts).toBe(1);
  });
});
