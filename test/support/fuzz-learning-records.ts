/**
 * Decision and reward records for the fuzz suites, labelled like the ingestion records (see
 * fuzz-records.ts): `valid`, certainly `invalid`, or `ambiguous` (a reading the contract leaves open).
 * Ids are placeholders until a batch builder gives each record a fresh one.
 */
import fc from "fast-check";
import type { DecisionRecord, RewardRecord } from "../../models/contracts/index.ts";
import {
  brokenString,
  deepValue,
  junkValue,
  objectOf,
  PROTOTYPE_NAMES,
  RawJson,
} from "./fuzz-arbitraries.ts";
import { EVENT_ID_PLACEHOLDER, FUZZ_END_MS } from "./fuzz-records.ts";

export const DECISION_ID_PLACEHOLDER = "<decision_id>";
/** Experiments the fuzzed decisions belong to, so GET /v1/experiments/:id/results finds some. */
export const FUZZ_EXPERIMENTS = ["fz-exp-a", "fz-exp-b"] as const;

export type Labelled<T> =
  | { kind: "valid"; value: T }
  | { kind: "invalid"; value: unknown; why: string }
  | { kind: "ambiguous"; value: unknown; why: string };

const featureKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES.filter((name) => name !== "__proto__")),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
);
const featureValue = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.string({ unit: "grapheme", maxLength: 12 }).filter((text) => !text.includes("\u0000")),
);
const featureMap = fc
  .uniqueArray(fc.tuple(featureKey, featureValue), { maxLength: 4, selector: ([key]) => key })
  .map(objectOf);
const tsMs = fc.integer({ min: FUZZ_END_MS - 10 * 86_400_000, max: FUZZ_END_MS });

export const validDecision: fc.Arbitrary<DecisionRecord> = fc
  .record({
    ts: tsMs,
    surface: fc.constantFrom("home", "product", "constructor"),
    user_id: fc.option(
      fc.oneof(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.nat(20).map((n) => `fz-u${n}`),
      ),
      {
        nil: undefined,
      },
    ),
    algorithm: fc.constantFrom(
      "softmax-ucb" as const,
      "thompson" as const,
      "epsilon-greedy" as const,
      "none" as const,
    ),
    experiment: fc.option(
      fc.record({ id: fc.constantFrom(...FUZZ_EXPERIMENTS), arm: fc.constantFrom("control", "greedy") }),
      { nil: null },
    ),
    context: featureMap,
    actionIds: fc.uniqueArray(
      fc.oneof(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.nat(50).map((n) => `a${n}`),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    withVectors: fc.boolean(),
    shown: fc.nat(5),
    propensity: fc.double({ min: 0.001, max: 1, noNaN: true }),
  })
  .map((d) => {
    const shown = d.actionIds.slice(0, 1 + (d.shown % d.actionIds.length));
    const record: DecisionRecord = {
      decision_id: DECISION_ID_PLACEHOLDER,
      ts: d.ts,
      surface: d.surface,
      policy: { id: d.surface, version: "1", algorithm: d.algorithm },
      experiment: d.experiment,
      context: d.context as DecisionRecord["context"],
      actions: d.actionIds.map((id, i) => (d.withVectors ? { id, vector: [i, 0.5, -1] } : { id })),
      ranking: shown.map((id) => ({ action_id: id, propensity: d.propensity })),
    };
    return d.user_id === undefined ? record : { ...record, user_id: d.user_id };
  });

type Breaker<T> = (record: T) => fc.Arbitrary<{ value: unknown; why: string }>;
const set = (record: object, field: string, value: unknown) => ({ ...record, [field]: value });

const DECISION_BREAKERS: Breaker<DecisionRecord>[] = [
  (d) =>
    brokenString.map((id) => ({
      value: set(d, "decision_id", id),
      why: "decision_id: lone surrogate or NUL",
    })),
  (d) =>
    brokenString.map((text) => ({
      value: set(d, "context", { ...d.context, note: text }),
      why: "a context feature holds a lone surrogate or NUL",
    })),
  (d) =>
    brokenString.map((text) => ({ value: set(d, "user_id", text), why: "user_id: lone surrogate or NUL" })),
  (d) =>
    deepValue.map((deep) => ({ value: set(d, "context", { nested: deep }), why: "context nested deep" })),
  (d) =>
    fc.constantFrom("1e999", "-1e999").map((text) => ({
      value: set(d, "context", { ...d.context, big: new RawJson(text) }),
      why: "an infinite context feature",
    })),
  (d) =>
    fc.constantFrom(0, -0.5, 1.5, "0.5").map((propensity) => ({
      value: set(
        d,
        "ranking",
        d.ranking.map((r) => ({ ...r, propensity })),
      ),
      why: "propensity outside (0, 1]",
    })),
  (d) =>
    fc.constant({
      value: set(d, "ranking", [{ action_id: "not-a-candidate", propensity: 1 }]),
      why: "ranking shows an action that is not a candidate",
    }),
  (d) =>
    fc
      .constantFrom<unknown>(-0, 1e308, "2026-11-01", 12.5)
      .map((ts) => ({ value: set(d, "ts", ts), why: "bad ts" })),
  () => junkValue.map((value) => ({ value, why: "not a record" })),
];

/** The fc.oneof choices of valid records (weight 5) and of records one of `breakers` broke (weight 3). */
function validOrBroken<T>(valid: fc.Arbitrary<T>, breakers: readonly Breaker<T>[]) {
  return [
    { weight: 5, arbitrary: valid.map((value) => ({ kind: "valid" as const, value })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.nat(breakers.length - 1))
        .chain(([record, b]) => breakers[b]!(record))
        .map(({ value, why }) => ({ kind: "invalid" as const, value, why })),
    },
  ] as const;
}

export const decisionEntry: fc.Arbitrary<Labelled<DecisionRecord>> = fc.oneof(
  ...validOrBroken(validDecision, DECISION_BREAKERS),
  {
    weight: 1,
    arbitrary: validDecision.map((d) => ({
      kind: "ambiguous" as const,
      value: set(d, "context", objectOf([["__proto__", 1], ["huge", 1e308], ...Object.entries(d.context)])),
      why: "a context feature named __proto__, and one of 1e308",
    })),
  },
);

const validRewardBody = fc.oneof(
  fc.record({ ts: tsMs, reward: fc.double({ min: -1, max: 1, noNaN: true }) }),
  fc.record({
    ts: tsMs,
    slot_rewards: fc
      .uniqueArray(fc.nat(49), { minLength: 1, maxLength: 3 })
      .chain((slots) =>
        fc.tuple(
          ...slots.map((slot) =>
            fc.double({ min: -1, max: 1, noNaN: true }).map((reward) => ({ slot, reward })),
          ),
        ),
      ),
  }),
);

export const validReward: fc.Arbitrary<RewardRecord> = validRewardBody.map(
  (body) =>
    ({ decision_id: DECISION_ID_PLACEHOLDER, event_id: EVENT_ID_PLACEHOLDER, ...body }) as RewardRecord,
);

const REWARD_BREAKERS: Breaker<RewardRecord>[] = [
  (r) =>
    brokenString.map((id) => ({ value: set(r, "event_id", id), why: "event_id: lone surrogate or NUL" })),
  (r) =>
    brokenString.map((id) => ({
      value: set(r, "decision_id", id),
      why: "decision_id: lone surrogate or NUL",
    })),
  (r) =>
    fc
      .constantFrom<unknown>(new RawJson("1e999"), new RawJson("-1e308"), 1.5, -2, "1", "NaN", null)
      .map((reward) => ({
        value: { ...set(r, "reward", reward), slot_rewards: undefined },
        why: "reward outside [-1, 1]",
      })),
  (r) =>
    fc.constant({
      value: { ...r, reward: 1, slot_rewards: [{ slot: 0, reward: 1 }] },
      why: "reward and slot_rewards",
    }),
  (r) =>
    fc.constantFrom<unknown>(-1, 50, 0.5, "0").map((slot) => ({
      value: { ...set(r, "slot_rewards", [{ slot, reward: 1 }]), reward: undefined },
      why: "slot outside 0..49",
    })),
  (r) => deepValue.map((deep) => ({ value: set(r, "slot_rewards", deep), why: "slot_rewards nested deep" })),
  () => junkValue.map((value) => ({ value, why: "not a record" })),
];

/** A reward whose placeholder ids the batch builder replaces with a decision_id and event_id. */
export const rewardEntry: fc.Arbitrary<Labelled<RewardRecord>> = fc.oneof(
  ...validOrBroken(validReward, REWARD_BREAKERS),
);
