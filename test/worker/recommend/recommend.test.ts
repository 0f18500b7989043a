/**
 * The recommend flow whole, in Node, with in-memory loaders: the route only parses a query and answers
 * what this flow returns, so what it pins, decides, shows and logs is tested here without workerd.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  type DecisionRecord,
  type Manifest,
  type UserFeatures,
} from "../../../models/contracts/index.ts";
import { kernelCandidates } from "../../../worker/decision/index.ts";
import type { ReleaseCatalog, ReleaseLoaders } from "../../../worker/recommend/pinned-release.ts";
import { type RecommendDeps, type RecommendRequest, recommend } from "../../../worker/recommend/recommend.ts";
import { noSpanTimer } from "../../../worker/runtime/span-timer.ts";
import { buildFixture, EMBEDDING, type Fixture, userNear } from "../decision/fixture.ts";

const fixture = buildFixture({ items: 120, clusters: 4 });

function release(f: Fixture): ReleaseCatalog {
  return { catalog: f.catalog, candidates: kernelCandidates(f.kernel) };
}

function manifest(version: number, surfaces: Record<string, unknown> = {}): Manifest {
  return { version, publishedAt: "2026-12-01T00:00:00.000Z", models: {}, surfaces };
}

interface World {
  current: Manifest;
  previous?: Manifest;
  catalogs: Map<number, ReleaseCatalog>;
  users: Map<string, UserFeatures>;
}

/** Loaders over plain maps, recording what was read. */
function loaders(world: World, reads: string[] = []): ReleaseLoaders {
  return {
    currentManifest: async () => world.current,
    recheckManifest: async () => world.current,
    previousManifest: async () => world.previous ?? null,
    catalog: async (m) => {
      reads.push(`catalog@${m?.version}`);
      return m ? (world.catalogs.get(m.version) ?? null) : null;
    },
    user: async (userId) => {
      reads.push(`user ${userId}`);
      return world.users.get(userId) ?? null;
    },
  };
}

function deps(world: World, logged: Array<DecisionRecord | null>, reads?: string[]): RecommendDeps {
  return {
    release: loaders(world, reads),
    log: (record) => logged.push(record),
    timer: noSpanTimer,
    nowMs: () => 1,
  };
}

const ask = (overrides: Partial<RecommendRequest> = {}): RecommendRequest => ({
  userId: "u1",
  surface: "home",
  filters: {},
  explain: false,
  ...overrides,
});

const home = { home: { name: "home", k: { default: 5, max: 8 }, candidates: 40 } };

/** The fixture's catalogue published as release `version` with the home surface, and these users. */
function fixtureWorld(version: number, users: World["users"] = new Map()): World {
  return { current: manifest(version, home), catalogs: new Map([[version, release(fixture)]]), users };
}

describe("recommend flow", () => {
  it("answers a known user from the model, logs one decision whose ranking is what was shown", async () => {
    const world = fixtureWorld(3, new Map([["u1", userNear(fixture, { 2: 1 })]]));
    const logged: Array<DecisionRecord | null> = [];
    const answer = await recommend(ask(), deps(world, logged));

    expect(answer.user_id).toBe("u1");
    expect(answer.cold_start).toBe(false);
    expect(answer.items).toHaveLength(5);
    expect(answer.items.every((item) => fixture.clusterOf(item.item_id) === 2)).toBe(true);
    expect(answer.propensities).toEqual([1, 1, 1, 1, 1]);
    expect(answer.model_versions).toMatchObject({ manifest: "3", [EMBEDDING.model]: EMBEDDING.version });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.decision_id).toBe(answer.decision_id);
    expect(logged[0]!.ranking.map((slot) => slot.action_id)).toEqual(
      answer.items.map((item) => item.item_id),
    );
    expect(logged[0]!.policy).toMatchObject({ id: "engine:home", version: "3" });
  });

  it("clamps k to the surface's maximum once, for what is shown and what is logged", async () => {
    const world = fixtureWorld(1);
    const logged: Array<DecisionRecord | null> = [];
    const answer = await recommend(ask({ k: 500 }), deps(world, logged));
    expect(answer.items).toHaveLength(8);
    expect(answer.cold_start).toBe(true);
    expect(logged[0]!.ranking).toHaveLength(8);
  });

  it("refuses an unknown surface with a 400 that names the published ones, and logs nothing", async () => {
    const world = fixtureWorld(1);
    const logged: Array<DecisionRecord | null> = [];
    const refused = recommend(ask({ surface: "toString" }), deps(world, logged));
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: "unknown_surface", message: /home/ });
    expect(logged).toEqual([]);
  });

  it("answers a user still holding the previous release's embedding from that release whole", async () => {
    // The next release is served, but this user's record is still the one the previous release wrote
    // (a rollback writes its manifest before it restores the users): that release answers, not a degraded one.
    const next = buildFixture({ items: 120, clusters: 4, seed: 11 });
    const nextRelease: ReleaseCatalog = {
      catalog: { ...next.catalog, embedding: { ...next.catalog.embedding!, version: "v2" } },
      candidates: kernelCandidates(next.kernel),
    };
    const world: World = {
      current: { ...manifest(5, home), previousVersion: 4 },
      previous: manifest(4, home),
      catalogs: new Map([
        [5, nextRelease],
        [4, release(fixture)],
      ]),
      users: new Map([["u1", userNear(fixture, { 1: 1 })]]),
    };
    const logged: Array<DecisionRecord | null> = [];
    const reads: string[] = [];
    const answer = await recommend(ask(), deps(world, logged, reads));
    expect(answer.degraded).toBe(false);
    expect(answer.model_versions.manifest).toBe("4");
    expect(answer.items.every((item) => fixture.clusterOf(item.item_id) === 1)).toBe(true);
    expect(reads).toContain("catalog@4");
  });
});
