/**
 * Joining rewards to decisions, the one place their semantics are enforced (docs/learning-loop.md):
 *
 * - A decision's **join window** runs from its ts for `windowMs`. The join emits a decision once, when
 *   the window has closed (ts + windowMs ≤ now); until then it is returned as open, with its rewards, for
 *   the next run. A closed decision with no reward is emitted with the default reward on its top slot, so
 *   "nothing happened" is learned too (learning only from rewarded decisions would see only successes).
 * - **Late** (reward ts past the window, or a decision that an earlier run closed): dropped and counted.
 *   The decision may already have been learned from with the default reward; applying the late reward
 *   would count the decision twice.
 * - **Duplicate** (same decision_id and event_id): a retry; one copy is kept (the earliest ts), the rest counted.
 * - **A second distinct reward** (same decision, another event_id): the latest by ts wins, per slot
 *   (ties by event_id). Send the decision's whole reward so far each time (a click 0.3, then a purchase
 *   1.0). Summing would make the value depend on how many signals a client happens to send and could
 *   leave [-1, 1], which the confidence intervals and the ridge model's scale rely on; last-write-wins by
 *   event time is also independent of arrival order, so re-running a join gives the same answer.
 * - **Out of range or malformed** (not in [-1, 1], not finite, both or neither of reward and
 *   slot_rewards): the edge answers 4xx; here, for logs that bypassed it, counted invalid and ignored.
 *   A slot the decision did not show is counted badSlot and ignored whole.
 * - **Unknown decision id**: held (returned for the next run) until ts + windowMs ≤ now, then dropped
 *   and counted. Decisions and rewards travel in separate batches from different isolates, so a reward
 *   routinely arrives before its decision; rejecting it would lose real feedback.
 *
 * Scalar rewards score the top slot only; a decision with any per-slot reward is read per slot, every
 * shown slot it does not mention taking the default reward. Output does not depend on input order.
 */

import { appendToGroup } from "../append-to-group.ts";
import { type DecisionRecord, RewardRecord } from "../contracts/decision.ts";

export interface JoinOptions {
  windowMs: number;
  /** The join's clock, epoch ms (the wall clock minus the longest delay logs take to arrive). */
  now: number;
  /** Reward of a shown slot no reward mentions; 0 by default. */
  defaultReward?: number;
  /** Ids of decisions closed by earlier runs: their rewards count as late rather than unknown. */
  closedDecisionIds?: ReadonlySet<string>;
}

export interface JoinedDecision {
  decision: DecisionRecord;
  /** Per shown slot: its reward, or null when the decision's rewards say nothing about that slot. */
  slotRewards: (number | null)[];
  /** "rewarded" when at least one reward arrived in time, "default" when the default reward was used. */
  outcome: "rewarded" | "default";
}

export interface JoinCounters {
  decisions: number;
  duplicateDecisions: number;
  closedDecisions: number;
  openDecisions: number;
  rewardedDecisions: number;
  defaultedDecisions: number;
  rewards: number;
  /** Rewards that set at least one slot of a closed decision. */
  applied: number;
  /** Distinct rewards every slot of which a later reward replaced. */
  superseded: number;
  duplicates: number;
  late: number;
  invalid: number;
  badSlot: number;
  /** Rewards returned with their open decision. */
  heldForOpenDecision: number;
  unknownHeld: number;
  unknownDropped: number;
}

export interface JoinResult {
  /** Closed decisions, by ts then decision_id. */
  joined: JoinedDecision[];
  /** Still open: pass them to the next run. */
  openDecisions: DecisionRecord[];
  /** Pass to the next run: rewards of open decisions and of unknown ids still inside their window. */
  heldRewards: RewardRecord[];
  counters: JoinCounters;
}

/** ids exclude control characters, so NUL cannot occur inside either part. */
const rewardKey = (r: RewardRecord) => `${r.decision_id}\u0000${r.event_id}`;

function byTimeThenEventId(x: RewardRecord, y: RewardRecord): number {
  return x.ts - y.ts || (x.event_id < y.event_id ? -1 : x.event_id > y.event_id ? 1 : 0);
}

function slotsOf(reward: RewardRecord): { slot: number; reward: number }[] {
  return reward.slot_rewards ?? [{ slot: 0, reward: reward.reward! }];
}

export function joinRewards(
  decisions: readonly DecisionRecord[],
  rewards: readonly unknown[],
  options: JoinOptions,
): JoinResult {
  const { windowMs, now } = options;
  const defaultReward = options.defaultReward ?? 0;
  const c: JoinCounters = {
    decisions: decisions.length,
    duplicateDecisions: 0,
    closedDecisions: 0,
    openDecisions: 0,
    rewardedDecisions: 0,
    defaultedDecisions: 0,
    rewards: rewards.length,
    applied: 0,
    superseded: 0,
    duplicates: 0,
    late: 0,
    invalid: 0,
    badSlot: 0,
    heldForOpenDecision: 0,
    unknownHeld: 0,
    unknownDropped: 0,
  };

  const byId = new Map<string, DecisionRecord>();
  for (const decision of decisions) {
    const kept = byId.get(decision.decision_id);
    // A re-sent decision batch repeats records; keep the earliest so the window does not move.
    if (kept === undefined || decision.ts < kept.ts) {
      byId.set(decision.decision_id, decision);
    }
    if (kept !== undefined) {
      c.duplicateDecisions++;
    }
  }

  const unique = new Map<string, RewardRecord>();
  for (const raw of rewards) {
    const parsed = RewardRecord.safeParse(raw);
    if (!parsed.success) {
      c.invalid++;
      continue;
    }
    const reward = parsed.data;
    const key = rewardKey(reward);
    const kept = unique.get(key);
    if (kept !== undefined) {
      c.duplicates++;
      if (byTimeThenEventId(reward, kept) >= 0) {
        continue;
      }
    }
    unique.set(key, reward);
  }

  const attached = new Map<string, RewardRecord[]>();
  const heldRewards: RewardRecord[] = [];
  for (const reward of unique.values()) {
    const decision = byId.get(reward.decision_id);
    if (decision === undefined) {
      if (options.closedDecisionIds?.has(reward.decision_id)) {
        c.late++;
      } else if (reward.ts + windowMs > now) {
        c.unknownHeld++;
        heldRewards.push(reward);
      } else {
        c.unknownDropped++;
      }
      continue;
    }
    if (reward.ts > decision.ts + windowMs) {
      c.late++;
      continue;
    }
    if (slotsOf(reward).some((s) => s.slot >= decision.ranking.length)) {
      c.badSlot++;
      continue;
    }
    appendToGroup(attached, decision.decision_id, reward);
  }

  const joined: JoinedDecision[] = [];
  const openDecisions: DecisionRecord[] = [];
  for (const decision of byId.values()) {
    const list = (attached.get(decision.decision_id) ?? []).sort(byTimeThenEventId);
    if (decision.ts + windowMs > now) {
      c.openDecisions++;
      openDecisions.push(decision);
      c.heldForOpenDecision += list.length;
      heldRewards.push(...list);
      continue;
    }
    c.closedDecisions++;
    const shown = decision.ranking.length;
    const winner = new Int32Array(shown).fill(-1);
    const values = new Float64Array(shown);
    let perSlot = false;
    list.forEach((reward, index) => {
      perSlot ||= reward.slot_rewards !== undefined;
      for (const { slot, reward: value } of slotsOf(reward)) {
        // Ascending (ts, event_id): the last writer is the latest.
        winner[slot] = index;
        values[slot] = value;
      }
    });
    const winners = new Set(winner);
    c.applied += list.filter((_, index) => winners.has(index)).length;
    c.superseded += list.filter((_, index) => !winners.has(index)).length;
    const slotRewards = Array.from(winner, (w, slot): number | null =>
      w >= 0 ? values[slot]! : slot === 0 || perSlot ? defaultReward : null,
    );
    if (list.length > 0) {
      c.rewardedDecisions++;
    } else {
      c.defaultedDecisions++;
    }
    joined.push({ decision, slotRewards, outcome: list.length > 0 ? "rewarded" : "default" });
  }
  joined.sort(
    (x, y) =>
      x.decision.ts - y.decision.ts ||
      (x.decision.decision_id < y.decision.decision_id
        ? -1
        : x.decision.decision_id > y.decision.decision_id
          ? 1
          : 0),
  );
  return { joined, openDecisions, heldRewards, counters: c };
}
