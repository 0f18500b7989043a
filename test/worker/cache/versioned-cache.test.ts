/**
 * The per-isolate caches share settled values only (pure TypeScript, run in Node). A request that misses
 * while another loads waits for the value, never for the other request's promise: when that request dies
 * (in workerd its I/O is cancelled and its promise never settles), the waiter loads on its own.
 */
import { describe, expect, it } from "vitest";
import { VersionedCache } from "../../../worker/cache/versioned-cache.ts";

describe("VersionedCache", () => {
  it("loads a version once for concurrent requests and hands them the settled value", async () => {
    const cache = new VersionedCache<{ version: string }>();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { version: "1" };
    };
    const values = await Promise.all([1, 2, 3, 4].map(() => cache.get("1", load)));
    expect(loads).toBe(1);
    expect(new Set(values).size).toBe(1);
  });

  it("loads on its own when the request loading before it never finishes", async () => {
    // A short wait for the peer, so the test does not sit out the default two seconds.
    const cache = new VersionedCache<string>({ peerWaitMs: 20 });
    const stuck = new Promise<string>(() => {});
    void cache.get("1", () => stuck);
    await expect(
      Promise.race([
        cache.get("1", async () => "own load"),
        new Promise((resolve) => setTimeout(() => resolve("still waiting"), 5_000)),
      ]),
    ).resolves.toBe("own load");
  });

  it("keeps the previous version for requests still pinned to it", async () => {
    const cache = new VersionedCache<string>();
    await cache.get("1", async () => "one");
    await cache.get("2", async () => "two");
    let reloaded = false;
    expect(
      await cache.get("1", async () => {
        reloaded = true;
        return "one again";
      }),
    ).toBe("one");
    expect(reloaded).toBe(false);
    await cache.get("3", async () => "three");
    expect(cache.versions).toEqual(["2", "3"]);
  });

  it("remembers a failed load for its retry period", async () => {
    const cache = new VersionedCache<string>();
    let attempts = 0;
    const failing = async (): Promise<string> => {
      attempts += 1;
      throw new Error("bytes missing");
    };
    for (let i = 0; i < 3; i++) {
      await expect(cache.get("1", failing)).rejects.toThrow("bytes missing");
    }
    expect(attempts).toBe(1);
  });
});
