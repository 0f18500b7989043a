/** The user's seen set at the edge: every item left out against its own catalogue, the ids otherwise. */
import { describe, expect, it } from "vitest";
import type { UserFeatures } from "../../../models/contracts/index.ts";
import { encodeSeenIndices } from "../../../models/seen/index.ts";
import { decide } from "../../../worker/decision/index.ts";
import { buildFixture, context, ids, surface, userNear } from "./fixture.ts";

const fixture = buildFixture();
const { catalog } = fixture;
const version = catalog.header.version;

/** A seen set over these catalogue items, written for catalogue `of`. */
function seenOf(itemIds: readonly string[], of = version): NonNullable<UserFeatures["seen"]> {
  const indices = Uint32Array.from(itemIds, (id) => catalog.indexOf(id)).sort();
  return { catalog: of, count: indices.length, indices: encodeSeenIndices(indices) };
}

/** Cluster 0's items, which a user near centroid 0 would be shown first. */
const cluster0 = Array.from({ length: catalog.items }, (_, i) => catalog.itemId(i)).filter(
  (id) => fixture.clusterOf(id) === 0,
);

describe("the seen set", () => {
  it("leaves out every seen item, far past the recent ids the record also holds", async () => {
    const seen = cluster0.slice(0, 35);
    const heavy = userNear(fixture, { 0: 1 }, { recentItems: seen.slice(0, 2), seen: seenOf(seen) });
    const decision = await decide({ k: 20 }, context(fixture, { user: heavy }));
    expect(decision.items).toHaveLength(20);
    expect(ids(decision).filter((id) => seen.includes(id))).toEqual([]);
    expect(decision.degraded).toBe(false);

    // The same user without the seen set is shown the items it hides: the test above can fail.
    const { seen: _, ...idsOnly } = heavy;
    const shown = ids(await decide({ k: 20 }, context(fixture, { user: idsOnly })));
    expect(shown.filter((id) => seen.slice(2).includes(id)).length).toBeGreaterThan(5);
  });

  it("adds the request's excluded items to the seen set", async () => {
    const seen = cluster0.slice(0, 10);
    const excluded = cluster0.slice(10, 15);
    const decision = await decide(
      { k: 10, excludeItems: excluded },
      context(fixture, { user: userNear(fixture, { 0: 1 }, { seen: seenOf(seen) }) }),
    );
    expect(ids(decision).filter((id) => seen.includes(id) || excluded.includes(id))).toEqual([]);
  });

  it("shows seen items again on a surface that allows it", async () => {
    const seen = cluster0.slice(0, 5);
    const decision = await decide(
      { k: 10 },
      context(fixture, {
        user: userNear(fixture, { 0: 1 }, { seen: seenOf(seen) }),
        surface: surface({ excludeSeen: false }),
      }),
    );
    expect(ids(decision).filter((id) => seen.includes(id)).length).toBeGreaterThan(0);
  });

  it("falls back on the recent ids, degraded, when the seen set indexes another catalogue", async () => {
    const seen = cluster0.slice(0, 30);
    const recent = seen.slice(0, 3);
    const decision = await decide(
      { k: 20 },
      context(fixture, {
        user: userNear(fixture, { 0: 1 }, { recentItems: recent, seen: seenOf(seen, "another-release") }),
      }),
    );
    const shown = ids(decision);
    expect(shown.filter((id) => recent.includes(id))).toEqual([]);
    // Those indices name other items in another catalogue: they are not applied to this one.
    expect(shown.filter((id) => seen.includes(id)).length).toBeGreaterThan(0);
    expect(decision.degraded_causes.map((cause) => cause.code)).toEqual(["seen_set_stale"]);
    expect(decision.degraded_causes[0]!.message).toContain("another-release");
  });

  it("falls back on the recent ids, degraded, when the seen set does not decode", async () => {
    const recent = cluster0.slice(0, 3);
    const pastTheEnd = { catalog: version, count: 1, indices: encodeSeenIndices([catalog.items]) };
    const decision = await decide(
      { k: 10 },
      context(fixture, { user: userNear(fixture, { 0: 1 }, { recentItems: recent, seen: pastTheEnd }) }),
    );
    expect(decision.items).toHaveLength(10);
    expect(ids(decision).filter((id) => recent.includes(id))).toEqual([]);
    expect(decision.degraded_causes.map((cause) => cause.code)).toEqual(["seen_set_invalid"]);
  });
});
