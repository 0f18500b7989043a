/**
 * The behaviour step: purchase probability. The label is "bought anything in the last `labelDays` of the
 * window"; the features are what was known just before that period: the user's attributes plus their
 * activity (views, clicks, carts, purchases, distinct items over `activityDays`, days since their last event).
 * Users with no event before the label period are left out (nothing to predict from). Served, the same
 * features are computed over the period that ends now, so the edge predicts the next `labelDays`.
 * Skipped, with the reason, when the window has too few users or too few of either class.
 */
import { INTERACTION_TYPE_CODE } from "../../../models/contracts/index.ts";
import {
  encodedWidth,
  encodeRowInto,
  type TabularRow,
  type TabularValue,
} from "../../../models/features/index.ts";
import type { BuiltModel } from "../../../models/onnx/index.ts";
import { mulberry32 } from "../../../models/random.ts";
import { type BehaviourModel, exportBehaviourModel, trainAndEvaluateBehaviour } from "../behaviour/index.ts";
import { stratifiedSplit } from "../linear/index.ts";
import type { InteractionLog } from "./read-interactions.ts";

export interface BehaviourStepOptions {
  labelDays?: number;
  activityDays?: number;
  minUsers?: number;
  minPerClass?: number;
  testFraction?: number;
  seed?: number;
}

export const BEHAVIOUR_STEP_DEFAULTS = {
  labelDays: 7,
  activityDays: 28,
  minUsers: 100,
  minPerClass: 20,
  testFraction: 0.25,
  seed: 1,
};

export type BehaviourStepResult =
  | {
      trained: true;
      model: BehaviourModel;
      built: BuiltModel;
      metrics: Record<string, number>;
      /** Encoded features of every user, over the period ending now (null: no event in it or before). */
      vectors: (number[] | null)[];
    }
  | { trained: false; reason: string };

const DAY_MS = 86_400_000;
const ACTIVITY = ["views", "clicks", "carts", "purchases", "distinct_items", "days_since_last"] as const;
const CODES = INTERACTION_TYPE_CODE;

/** Activity columns per user over [endMs - activityDays, endMs); null for users with no event before endMs. */
function activityRows(log: InteractionLog, endMs: number, activityDays: number): Array<TabularRow | null> {
  const users = log.users.length;
  const counts = new Float64Array(users * 4);
  const last = new Float64Array(users).fill(Number.NEGATIVE_INFINITY);
  const distinct: Array<Set<number> | undefined> = new Array(users);
  const fromMs = endMs - activityDays * DAY_MS;
  for (let e = 0; e < log.length; e++) {
    const t = log.tsMs[e]!;
    if (t >= endMs) {
      continue;
    }
    const u = log.user[e]!;
    last[u] = Math.max(last[u]!, t);
    if (t < fromMs) {
      continue;
    }
    const code = log.typeCode[e]!;
    const column =
      code === CODES.view
        ? 0
        : code === CODES.click
          ? 1
          : code === CODES.add_to_cart
            ? 2
            : code === CODES.purchase
              ? 3
              : -1;
    if (column >= 0) {
      counts[u * 4 + column]! += 1;
    }
    if (log.item[e]! >= 0) {
      const items = distinct[u] ?? new Set<number>();
      items.add(log.item[e]!);
      distinct[u] = items;
    }
  }
  return Array.from({ length: users }, (_, u) =>
    last[u] === Number.NEGATIVE_INFINITY
      ? null
      : {
          views: counts[u * 4]!,
          clicks: counts[u * 4 + 1]!,
          carts: counts[u * 4 + 2]!,
          purchases: counts[u * 4 + 3]!,
          distinct_items: distinct[u]?.size ?? 0,
          days_since_last: (endMs - last[u]!) / DAY_MS,
        },
  );
}

/** Attribute columns worth encoding: present for at least 5 % of users; numbers, or strings of few values. */
function attributeColumns(log: InteractionLog): { numeric: string[]; categorical: string[] } {
  const seen = new Map<string, { count: number; numbers: number; strings: Set<string> }>();
  for (const user of log.users) {
    for (const [key, value] of Object.entries(user.attributes)) {
      const entry = seen.get(key) ?? { count: 0, numbers: 0, strings: new Set<string>() };
      entry.count++;
      if (typeof value === "number" || typeof value === "boolean") {
        entry.numbers++;
      } else if (typeof value === "string") {
        entry.strings.add(value);
      }
      seen.set(key, entry);
    }
  }
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const [key, entry] of [...seen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entry.count < 0.05 * log.users.length || ACTIVITY.includes(key as (typeof ACTIVITY)[number])) {
      continue;
    }
    if (entry.numbers === entry.count) {
      numeric.push(key);
    } else if (entry.strings.size > 0 && entry.strings.size <= 50 && entry.numbers === 0) {
      categorical.push(key);
    }
  }
  return { numeric, categorical };
}

function withAttributes(
  activity: TabularRow,
  attributes: Record<string, unknown>,
  columns: string[],
): TabularRow {
  const row: Record<string, TabularValue> = { ...activity };
  for (const key of columns) {
    const value = attributes[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      row[key] = value;
    }
  }
  return row;
}

export async function trainBehaviourStep(
  log: InteractionLog,
  nowMs: number,
  version: string,
  options: BehaviourStepOptions = {},
): Promise<BehaviourStepResult> {
  const o = { ...BEHAVIOUR_STEP_DEFAULTS, ...options };
  const cutoffMs = nowMs - o.labelDays * DAY_MS;
  const attributes = attributeColumns(log);
  const attributeNames = [...attributes.numeric, ...attributes.categorical];
  const before = activityRows(log, cutoffMs, o.activityDays);
  const bought = new Uint8Array(log.users.length);
  for (let e = 0; e < log.length; e++) {
    if (log.typeCode[e] === CODES.purchase && log.tsMs[e]! >= cutoffMs && log.tsMs[e]! < nowMs) {
      bought[log.user[e]!] = 1;
    }
  }
  const rows: TabularRow[] = [];
  const labels: number[] = [];
  before.forEach((activity, u) => {
    if (activity) {
      rows.push(withAttributes(activity, log.users[u]!.attributes, attributeNames));
      labels.push(bought[u]!);
    }
  });
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  if (labels.length < o.minUsers || Math.min(positives, negatives) < o.minPerClass) {
    return {
      trained: false,
      reason:
        `behaviour: skipped: ${labels.length} users active before the last ${o.labelDays} days, ${positives} of ` +
        `whom bought in them (needs ${o.minUsers} users and ${o.minPerClass} buyers and non-buyers)`,
    };
  }
  const split = stratifiedSplit(labels, o.testFraction, mulberry32(o.seed));
  const pick = (indices: Int32Array) => ({
    rows: Array.from(indices, (r) => rows[r]!),
    labels: Uint8Array.from(indices, (r) => labels[r]!),
  });
  const evaluation = await trainAndEvaluateBehaviour(pick(split.train), pick(split.validation), {
    numeric: [...ACTIVITY, ...attributes.numeric],
    categorical: attributes.categorical,
    seed: o.seed,
  });
  const model = evaluation.model;
  const width = encodedWidth(model.encoder);
  const vector = new Float32Array(width);
  const vectors = activityRows(log, nowMs, o.activityDays).map((activity, u) => {
    if (!activity) {
      return null;
    }
    encodeRowInto(
      model.encoder,
      withAttributes(activity, log.users[u]!.attributes, attributeNames),
      vector,
      0,
    );
    return Array.from(vector);
  });
  return {
    trained: true,
    model,
    built: exportBehaviourModel(model, "int8", version),
    metrics: {
      auc: evaluation.int8.rocAuc,
      accuracy: evaluation.int8.accuracy,
      log_loss: evaluation.int8.logLoss,
      test_count: evaluation.int8.count,
      positive_rate: evaluation.int8.positiveRate,
      majority_log_loss: evaluation.majority.logLoss,
    },
    vectors,
  };
}
