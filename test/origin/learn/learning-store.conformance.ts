/**
 * What every backend's learning store must do. Each backend's test file calls this with a factory; the
 * suite opens one store, and tests keep apart by id prefix (the store is shared, as in production).
 */
import { describe, expect, it } from "vitest";
import { createLinearState, linearStateToJson } from "../../../models/bandit/index.ts";
import type { DecisionRecord } from "../../../models/contracts/index.ts";
import {
  isHoldout,
  LearningConflictError,
  type LearningStore,
  type PolicyStateRow,
} from "../../../origin/learn/index.ts";
import { conformanceBackend } from "../../support/conformance-backend.ts";
import { decision, reward, T0 } from "./support/learning-records.ts";

export interface LearningStoreTarget {
  store: LearningStore;
  cleanup(): Promise<void>;
}

const mine = (prefix: string, records: readonly DecisionRecord[]) =>
  records
    .filter((d) => d.decision_id.startsWith(prefix))
    .map((d) => d.decision_id)
    .sort();

function policyRow(policyId: string, version: string): PolicyStateRow {
  const state = linearStateToJson(createLinearState(2, 2, 1));
  return { policyId, surface: "home", config: {}, state, trainState: state, version, published: null };
}

const commit = (runId: string, parts: Partial<Parameters<LearningStore["commitRun"]>[0]>) => ({
  runId,
  startedAtMs: T0,
  finishedAtMs: T0 + 1,
  closed: [],
  consumed: [],
  policies: [],
  summary: {},
  ...parts,
});

export function describeLearningStoreConformance(
  name: string,
  open: () => Promise<LearningStoreTarget>,
): void {
  describe(`learning store: ${name}`, () => {
    let store: LearningStore;
    conformanceBackend(open, (opened) => {
      store = opened.store;
    });

    it("stores each decision once: a re-sent batch and a repeat inside a batch are duplicates", async () => {
      const batch = [decision("once-1"), decision("once-2"), decision("once-1")];
      expect(await store.insertDecisions(batch)).toEqual({ storedCount: 2, duplicateIndexes: [2] });
      expect(await store.insertDecisions(batch.slice(0, 2))).toEqual({
        storedCount: 0,
        duplicateIndexes: [0, 1],
      });
      expect(mine("once-", await store.openDecisions())).toEqual(["once-1", "once-2"]);
    });

    it("keeps the earliest copy of a decision or a reward sent twice, whichever arrives first", async () => {
      await store.insertDecisions([decision("early-1", { ts: T0 + 500 })]);
      expect((await store.insertDecisions([decision("early-1", { ts: T0 })])).duplicateIndexes).toEqual([0]);
      expect((await store.openDecisions()).find((d) => d.decision_id === "early-1")?.ts).toBe(T0);

      await store.insertRewards([reward("early-1", 0.2, { ts: T0 + 900 })]);
      await store.insertRewards([
        reward("early-1", 0.7, { ts: T0 + 800 }),
        reward("early-1", 0.9, { ts: T0 + 950 }),
      ]);
      const kept = (await store.pendingRewards()).rewards.filter((r) => r.decision_id === "early-1");
      expect(kept).toEqual([reward("early-1", 0.7, { ts: T0 + 800 })]);
    });

    it("stores each reward once per (decision_id, event_id); another event_id is another reward", async () => {
      const rewards = [
        reward("rw-1", 1, { eventId: "click" }),
        reward("rw-1", 1, { eventId: "click" }),
        reward("rw-1", 0.5, { eventId: "purchase" }),
      ];
      expect(await store.insertRewards(rewards)).toEqual({ storedCount: 2, duplicateIndexes: [1] });
      expect(await store.insertRewards(rewards.slice(2))).toEqual({ storedCount: 0, duplicateIndexes: [0] });
      const pending = (await store.pendingRewards()).rewards.filter((r) => r.decision_id === "rw-1");
      expect(pending.map((r) => r.event_id).sort()).toEqual(["click", "purchase"]);
    });

    it("closes a run's decisions and consumes its rewards; a reward for a closed decision comes back as late", async () => {
      await store.insertDecisions([decision("close-1"), decision("close-2", { slots: 2 })]);
      await store.insertRewards([reward("close-1", 1)]);
      await store.commitRun(
        commit("run-close", {
          closed: [
            { decisionId: "close-1", outcome: "rewarded", slotRewards: [1] },
            { decisionId: "close-2", outcome: "default", slotRewards: [0, null] },
          ],
          consumed: [{ decisionId: "close-1", eventId: "default" }],
        }),
      );
      expect(mine("close-", await store.openDecisions())).toEqual([]);
      expect((await store.pendingRewards()).rewards.some((r) => r.decision_id === "close-1")).toBe(false);

      await store.insertRewards([reward("close-2", 1, { eventId: "after" })]);
      const pending = await store.pendingRewards();
      expect(pending.rewards.some((r) => r.decision_id === "close-2")).toBe(true);
      expect(pending.closedDecisionIds.has("close-2")).toBe(true);
      // A decision re-sent after its run closed it stays closed: the retry is a duplicate.
      expect((await store.insertDecisions([decision("close-2", { ts: T0 - 1 })])).storedCount).toBe(0);
      expect(mine("close-", await store.openDecisions())).toEqual([]);
    });

    it("writes nothing of a run that would close a decision another run already closed", async () => {
      await store.insertDecisions([decision("race-1"), decision("race-2")]);
      await store.insertRewards([reward("race-2", 1)]);
      await store.commitRun(
        commit("run-race-a", { closed: [{ decisionId: "race-1", outcome: "default", slotRewards: [0] }] }),
      );
      const late = commit("run-race-b", {
        closed: [
          { decisionId: "race-2", outcome: "rewarded", slotRewards: [1] },
          { decisionId: "race-1", outcome: "default", slotRewards: [0] },
        ],
        consumed: [{ decisionId: "race-2", eventId: "default" }],
      });
      await expect(store.commitRun(late)).rejects.toBeInstanceOf(LearningConflictError);
      expect(mine("race-", await store.openDecisions())).toEqual(["race-2"]);
      expect((await store.pendingRewards()).rewards.some((r) => r.decision_id === "race-2")).toBe(true);
    });

    it("updates a policy only from the version the run read, and keeps what was published", async () => {
      await store.commitRun(commit("run-p1", { policies: [{ row: policyRow("pol", "v1"), basedOn: null }] }));
      await expect(
        store.commitRun(commit("run-p2", { policies: [{ row: policyRow("pol", "v2"), basedOn: null }] })),
      ).rejects.toBeInstanceOf(LearningConflictError);
      await store.commitRun(commit("run-p3", { policies: [{ row: policyRow("pol", "v3"), basedOn: "v1" }] }));
      const file = { id: "pol", version: "v3" } as never;
      await store.markPublished("run-p3", "bundle-v3", [file]);
      await store.commitRun(commit("run-p4", { policies: [{ row: policyRow("pol", "v4"), basedOn: "v3" }] }));
      const row = (await store.policies()).find((p) => p.policyId === "pol");
      expect(row).toMatchObject({ version: "v4", published: { id: "pol", version: "v3" } });
      expect(await store.lastBundleVersion()).toBe("bundle-v3");
    });

    it("says whether a join would change anything before a time", async () => {
      const old = Date.UTC(1990, 0, 1);
      const before = old + 60_000;
      expect(await store.hasWorkBefore(before)).toBe(false);
      await store.insertDecisions([decision("work-1", { ts: old })]);
      expect(await store.hasWorkBefore(before)).toBe(true);
      expect(await store.hasWorkBefore(old - 1)).toBe(false);
      await store.commitRun(
        commit("run-work", { closed: [{ decisionId: "work-1", outcome: "default", slotRewards: [0] }] }),
      );
      expect(await store.hasWorkBefore(before)).toBe(false);
      await store.insertRewards([reward("work-unknown", 1, { ts: old })]);
      expect(await store.hasWorkBefore(before)).toBe(true);
      await store.commitRun(
        commit("run-work-2", { consumed: [{ decisionId: "work-unknown", eventId: "default" }] }),
      );
      expect(await store.hasWorkBefore(before)).toBe(false);
    });

    it("gives a policy's closed holdout decisions newest first, and an experiment's outcomes per arm", async () => {
      const ids = Array.from({ length: 60 }, (_, i) => `ho-${i}`);
      const arm = (i: number) => ({ id: "exp-1", arm: i % 2 === 0 ? "a" : "b" });
      await store.insertDecisions(
        ids.map((id, i) => decision(id, { ts: T0 + i, policyId: "home.ho", experiment: arm(i) })),
      );
      const closing = ids.slice(0, 50);
      await store.commitRun(
        commit("run-ho", {
          closed: closing.map((id, i) => ({
            decisionId: id,
            outcome: i % 3 === 0 ? "rewarded" : "default",
            slotRewards: [i % 3 === 0 ? 1 : 0],
          })),
        }),
      );
      const expected = closing.filter((id) => isHoldout(id)).reverse();
      expect(expected.length).toBeGreaterThan(2);
      const holdout = await store.holdout("home.ho", 1000);
      expect(holdout.map((j) => j.decision.decision_id)).toEqual(expected);
      expect((await store.holdout("home.ho", 2)).length).toBe(2);

      const outcomes = await store.experimentOutcomes("exp-1");
      expect(outcomes.closed).toHaveLength(50);
      expect(
        outcomes.closed.filter((o) => o.decision.experiment?.arm === "a" && o.outcome === "rewarded").length,
      ).toBe(closing.filter((_, i) => i % 2 === 0 && i % 3 === 0).length);
      expect(outcomes.openByArm).toEqual(
        new Map([
          ["a", 5],
          ["b", 5],
        ]),
      );
      expect((await store.experimentOutcomes("no-such")).closed).toEqual([]);
    });
  });
}
