/**
 * The learning loop's records, shared by the edge (POST /rank, POST /reward, decision logging) and the
 * origin (join, training, off-policy evaluation). docs/learning-loop.md explains the semantics in prose;
 * the comments here are the short form.
 *
 * - A **decision** is one answer to a rank request: the ranking shown, and for each shown slot the
 *   **propensity**: the probability the logging policy had of putting that action in that slot, given the
 *   actions it had already put in the slots above (rankings are sampled slot by slot without
 *   replacement). For slot 0 that is simply P(action first). Over the actions still available, a slot's
 *   probabilities sum to 1, and a shown action's propensity is never 0 (it was shown, so it was possible):
 *   the schema refuses 0, because inverse propensity scoring divides by it.
 * - A **reward** is a number in [-1, 1] that the application attributes to a decision: 1 for the best
 *   outcome (a purchase), 0 for nothing happened, negatives for harm (a hide, a complaint). A scalar
 *   `reward` scores the top slot (the action the decision "chose", as in Azure Personalizer);
 *   `slot_rewards` score individual slots. Rewards are joined to decisions at the origin when the
 *   decision's join window closes (see models/bandit/join-rewards.ts for late, duplicate, unknown and
 *   out-of-range rewards).
 */
import { z } from "zod";
import { EVENT_LIMITS, idString, NO_CONTROL_CHARS } from "./event.ts";
import {
  boundedNumber,
  isStorableText,
  refusingProtoKey,
  STORABLE_TEXT_MESSAGE,
  storableString,
} from "./storable.ts";

export const DECISION_LIMITS = {
  /** Candidate actions per rank request (Personalizer allowed 50; catalogs of a few hundred are common). */
  actions: 256,
  /** Ranked slots per decision: what a page shows, not the candidate pool. */
  slots: 50,
  /** Named features in a context or an action. */
  featureKeys: 64,
  /** Values in an action's dense feature vector. */
  vectorLength: 256,
  idChars: EVENT_LIMITS.idChars,
  keyChars: EVENT_LIMITS.keyChars,
  featureStringChars: EVENT_LIMITS.featureStringChars,
  /** Largest magnitude of a feature or vector value: a model can square and sum them without overflow. */
  numberAbsMax: EVENT_LIMITS.numberAbsMax,
  /** Levels of arrays and objects in a whole decision or reward (a decision needs 4). */
  recordDepth: EVENT_LIMITS.recordDepth,
} as const;

const L = DECISION_LIMITS;

/** Every policy the edge can log decisions from; "none" ranks greedily (propensity 1 for each slot). */
export const POLICY_ALGORITHMS = ["softmax-ucb", "thompson", "epsilon-greedy", "none"] as const;
export type PolicyAlgorithm = (typeof POLICY_ALGORITHMS)[number];

const key = z
  .string()
  .min(1)
  .max(L.keyChars)
  .regex(NO_CONTROL_CHARS, "keys must not contain control characters")
  .refine(isStorableText, `keys ${STORABLE_TEXT_MESSAGE}`);
const surfaceName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "surface names are lower-case slugs (home, product, cart)");

const EpochMs = z.int().min(EVENT_LIMITS.tsMinMs).max(EVENT_LIMITS.tsMaxMs);
/** As for events: epoch milliseconds or ISO-8601 with a zone, normalised to epoch milliseconds. */
const Timestamp = z
  .union([
    EpochMs,
    z.iso.datetime({ offset: true, message: "ts must be ISO-8601 with a time zone, or epoch ms" }),
  ])
  .transform((value, ctx) => {
    const ms = typeof value === "number" ? value : Date.parse(value);
    if (ms < EVENT_LIMITS.tsMinMs || ms > EVENT_LIMITS.tsMaxMs) {
      ctx.addIssue({ code: "custom", message: "ts must lie between 1973-03-03 and 2100-01-01" });
      return z.NEVER;
    }
    return ms;
  });

/**
 * A named feature: numbers are used as they are (send them roughly standardised, as the model's ridge
 * penalty treats every dimension alike), booleans as 1/0, strings as categories (one-hot after hashing).
 */
export const FeatureValue = z.union([
  boundedNumber("feature values", -L.numberAbsMax, L.numberAbsMax),
  // Postgres text and jsonb cannot hold NUL nor unpaired surrogates, and decision logs are stored there.
  storableString().max(L.featureStringChars),
  z.boolean(),
]);
export type FeatureValue = z.infer<typeof FeatureValue>;

export const FeatureMap = refusingProtoKey(
  z
    .record(key, FeatureValue)
    .refine((value) => Object.keys(value).length <= L.featureKeys, `more than ${L.featureKeys} features`),
);
export type FeatureMap = z.infer<typeof FeatureMap>;

/** A candidate action: an id and either named features or a dense vector (an item embedding), or neither. */
export const RankAction = z
  .object({
    id: idString("action id"),
    features: FeatureMap.optional(),
    vector: z
      .array(boundedNumber("vector values", -L.numberAbsMax, L.numberAbsMax))
      .min(1)
      .max(L.vectorLength)
      .optional(),
  })
  .refine((a) => a.features === undefined || a.vector === undefined, {
    message: "an action has features or a vector, not both",
  });
export type RankAction = z.infer<typeof RankAction>;

export const RankContext = z.object({
  /** Sticky experiment assignment and per-user features need it; anonymous requests may leave it out. */
  user_id: idString("user_id").optional(),
  surface: surfaceName,
  features: FeatureMap.default({}),
});
export type RankContext = z.infer<typeof RankContext>;

const uniqueIds = (actions: readonly { id: string }[]) =>
  new Set(actions.map((a) => a.id)).size === actions.length;

/** POST /rank. */
export const RankRequest = z.object({
  context: RankContext,
  actions: z
    .array(RankAction)
    .min(1, "at least one action")
    .max(L.actions, `at most ${L.actions} actions`)
    .refine(uniqueIds, "action ids must be unique"),
  /** Slots to fill; the surface's default when absent, and never more than the actions given. */
  k: z.int().min(1).max(L.slots).optional(),
});
export type RankRequest = z.infer<typeof RankRequest>;
export type RankRequestInput = z.input<typeof RankRequest>;

/** One shown slot (its index in the ranking is the slot number, 0 = top). */
export const RankedAction = z.object({
  action_id: idString("action_id"),
  /** P(this action in this slot | the slots above), in (0, 1]. */
  propensity: z.number().gt(0, "a shown action's propensity is never 0").max(1),
});
export type RankedAction = z.infer<typeof RankedAction>;

/** Which policy decided: the id names the configuration (surface + experiment arm), the version its parameters. */
export const PolicyRef = z.object({
  id: key,
  version: key,
  algorithm: z.enum(POLICY_ALGORITHMS),
});
export type PolicyRef = z.infer<typeof PolicyRef>;

export const ExperimentRef = z.object({ id: key, arm: key });
export type ExperimentRef = z.infer<typeof ExperimentRef>;

/** The answer to POST /rank. */
export const RankResponse = z.object({
  decision_id: idString("decision_id"),
  ranking: z.array(RankedAction).min(1).max(L.slots),
  policy: PolicyRef,
  experiment: ExperimentRef.nullable(),
});
export type RankResponse = z.infer<typeof RankResponse>;

/**
 * What the edge logs for every decision (POST /rank and GET /recommendations alike). It keeps every
 * candidate with the features as used, not only the shown ones: evaluating another policy offline needs
 * to know what else it could have chosen.
 */
export const DecisionRecord = z
  .object({
    decision_id: idString("decision_id"),
    /** When the decision was made, epoch ms: the join window runs from here. */
    ts: EpochMs,
    surface: surfaceName,
    user_id: idString("user_id").optional(),
    policy: PolicyRef,
    experiment: ExperimentRef.nullable(),
    context: FeatureMap,
    actions: z.array(RankAction).min(1).max(L.actions).refine(uniqueIds, "action ids must be unique"),
    ranking: z.array(RankedAction).min(1).max(L.slots),
  })
  .refine(
    (d) => {
      const candidates = new Set(d.actions.map((a) => a.id));
      const shown = new Set(d.ranking.map((r) => r.action_id));
      return shown.size === d.ranking.length && [...shown].every((a) => candidates.has(a));
    },
    { message: "the ranking shows distinct actions taken from the candidates", path: ["ranking"] },
  );
export type DecisionRecord = z.infer<typeof DecisionRecord>;

const Reward = z
  .number()
  .refine(Number.isFinite, "reward must be a finite number")
  .min(-1, "reward must lie in [-1, 1]")
  .max(1, "reward must lie in [-1, 1]");

export const SlotReward = z.object({
  /** 0 = the top slot. */
  slot: z
    .int()
    .min(0)
    .max(L.slots - 1),
  reward: Reward,
});
export type SlotReward = z.infer<typeof SlotReward>;

const rewardShape = {
  decision_id: idString("decision_id"),
  /** Scores the top slot (slot 0). */
  reward: Reward.optional(),
  /** Scores individual slots; shown slots it leaves out take the join's default reward. */
  slot_rewards: z
    .array(SlotReward)
    .min(1)
    .max(L.slots)
    .refine((s) => new Set(s.map((r) => r.slot)).size === s.length, "each slot at most once")
    .optional(),
};
const oneOfRewardOrSlots = (r: { reward?: number | undefined; slot_rewards?: unknown }) =>
  (r.reward === undefined) !== (r.slot_rewards === undefined);
const oneOfMessage = { message: "send exactly one of reward or slot_rewards" };

/** Without an event_id every reward of a decision shares this one, so the first is kept and the rest are retries. */
export const DEFAULT_REWARD_EVENT_ID = "default";

/** POST /reward: event_id and ts may be left out. */
export const RewardRequest = z
  .object({ ...rewardShape, event_id: idString("event_id").optional(), ts: Timestamp.optional() })
  .refine(oneOfRewardOrSlots, oneOfMessage);
export type RewardRequest = z.infer<typeof RewardRequest>;
export type RewardRequestInput = z.input<typeof RewardRequest>;

/** A logged reward. (decision_id, event_id) is its idempotency key. */
export const RewardRecord = z
  .object({
    ...rewardShape,
    event_id: idString("event_id"),
    /** When the outcome happened (client clock), or when the edge received it: epoch ms. */
    ts: EpochMs,
  })
  .refine(oneOfRewardOrSlots, oneOfMessage);
export type RewardRecord = z.infer<typeof RewardRecord>;

/** The record the edge logs for a parsed POST /reward body received at `receivedAtMs`. */
export function rewardRecordFromRequest(request: RewardRequest, receivedAtMs: number): RewardRecord {
  return {
    decision_id: request.decision_id,
    event_id: request.event_id ?? DEFAULT_REWARD_EVENT_ID,
    ts: request.ts ?? receivedAtMs,
    ...(request.reward === undefined ? {} : { reward: request.reward }),
    ...(request.slot_rewards === undefined ? {} : { slot_rewards: request.slot_rewards }),
  };
}
