/** The origin benchmark's generator: exact counts, the same records for a seed, popular items and clustered users. */
import { describe, expect, it } from "vitest";
import { syntheticInteractions, tasteCluster } from "../../bench/lib/synthetic-interactions.ts";
import { parseIngestRecord } from "../../models/contracts/index.ts";

const options = { users: 500, items: 400, events: 20_000, seed: 3, clusters: 8 };
const all = (seed = options.seed) => [...syntheticInteractions({ ...options, seed }, 3_000)].flat();

describe("syntheticInteractions", () => {
  it("gives exactly the events asked for, in batches, each one the contract accepts", () => {
    const batches = [...syntheticInteractions(options, 3_000)];
    expect(batches.map((batch) => batch.length)).toEqual([3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 2_000]);
    const events = batches.flat();
    expect(new Set(events.map((event) => event.event_id)).size).toBe(options.events);
    expect(events.every((event) => parseIngestRecord(event).success)).toBe(true);
  });

  it("is the same for a seed and differs for another", () => {
    expect(all()).toEqual(all());
    expect(all(4)).not.toEqual(all());
  });

  it("draws items by a power law and users within their taste cluster", () => {
    const events = all();
    const counts = new Map<string, number>();
    for (const event of events) {
      counts.set(event.item_id as string, (counts.get(event.item_id as string) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // The top 5 % of items take far more than 5 % of the events.
    const top = sorted.slice(0, options.items / 20).reduce((sum, n) => sum + n, 0);
    expect(top / options.events).toBeGreaterThan(0.25);
    // Two users of one cluster share far more items than a user does with the whole catalogue's spread.
    const itemsOf = (user: string) => new Set(events.filter((e) => e.user_id === user).map((e) => e.item_id));
    const clusterOf = (user: number) => tasteCluster(user, options.clusters);
    const mates = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((u) => clusterOf(u) === clusterOf(0));
    const strangers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((u) => clusterOf(u) !== clusterOf(0));
    const overlap = (a: number, b: number) => {
      const left = itemsOf(`u${a}`);
      return [...itemsOf(`u${b}`)].filter((item) => left.has(item)).length;
    };
    expect(mates.length).toBeGreaterThan(1);
    const mean = (users: number[]) => users.reduce((sum, u) => sum + overlap(0, u), 0) / users.length;
    expect(mean(mates.filter((u) => u !== 0))).toBeGreaterThan(2 * mean(strangers));
  });
});
