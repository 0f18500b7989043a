/**
 * The behaviour model's features, in named groups: each group says which raw columns it gives (numeric
 * ones are standardised, categorical ones one-hot, by the tabular encoder) and computes every user's
 * values as of a time, from events before it. The step concatenates the groups it is given, so another
 * block (item content vectors of what the user touched, say) joins as one more group, with no change here.
 */
import { INTERACTION_TYPE_CODE } from "../../../models/contracts/index.ts";
import type { TabularValue } from "../../../models/features/index.ts";
import { ownEntry } from "../../../models/own-entry.ts";
import type { InteractionLog } from "./read-interactions.ts";

export interface BehaviourFeatureGroup {
  name: string;
  columns: { numeric: readonly string[]; categorical: readonly string[] };
  /** Each user's values as of `endMs` (events before it count), by column name; missing = unknown. */
  values(endMs: number): Array<Record<string, TabularValue>>;
}

const DAY_MS = 86_400_000;
const CODES = INTERACTION_TYPE_CODE;
const COUNTED = ["views", "clicks", "carts", "purchases", "ratings", "reviews"] as const;
const COLUMN_OF_TYPE: Readonly<Record<number, number>> = {
  [CODES.view]: 0,
  [CODES.click]: 1,
  [CODES.add_to_cart]: 2,
  [CODES.purchase]: 3,
  [CODES.rating]: 4,
  [CODES.review]: 5,
};
export const ACTIVITY_COLUMNS = [...COUNTED, "distinct_items", "active_days", "days_since_last"] as const;

/**
 * Activity aggregates over the `activityDays` before the time asked: counts per event type, distinct
 * items, days with an event, and days since the last event ever (missing when there is none).
 */
export function activityFeatures(log: InteractionLog, activityDays: number): BehaviourFeatureGroup {
  return {
    name: "activity",
    columns: { numeric: ACTIVITY_COLUMNS, categorical: [] },
    values(endMs) {
      const users = log.users.length;
      const counts = new Float64Array(users * COUNTED.length);
      const last = new Float64Array(users).fill(Number.NEGATIVE_INFINITY);
      const items: Array<Set<number> | undefined> = new Array(users);
      const days: Array<Set<number> | undefined> = new Array(users);
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
        const column = COLUMN_OF_TYPE[log.typeCode[e]!];
        if (column !== undefined) {
          counts[u * COUNTED.length + column]! += 1;
        }
        if (log.item[e]! >= 0) {
          const seen = items[u] ?? new Set<number>();
          seen.add(log.item[e]!);
          items[u] = seen;
        }
        const active = days[u] ?? new Set<number>();
        active.add(Math.floor(t / DAY_MS));
        days[u] = active;
      }
      return Array.from({ length: users }, (_, u) => {
        const row: Record<string, TabularValue> = {};
        COUNTED.forEach((name, c) => {
          row[name] = counts[u * COUNTED.length + c]!;
        });
        row.distinct_items = items[u]?.size ?? 0;
        row.active_days = days[u]?.size ?? 0;
        row.days_since_last = last[u] === Number.NEGATIVE_INFINITY ? null : (endMs - last[u]!) / DAY_MS;
        return row;
      });
    },
  };
}

/**
 * The users' stored attributes worth encoding: present for at least 5 % of users; numbers (and booleans),
 * or strings of at most 50 values. `exclude` names attributes that must not be features (the target's).
 */
export function attributeFeatures(log: InteractionLog, exclude: readonly string[]): BehaviourFeatureGroup {
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
  const reserved = new Set<string>([...exclude, ...ACTIVITY_COLUMNS]);
  for (const [key, entry] of [...seen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entry.count < 0.05 * log.users.length || reserved.has(key)) {
      continue;
    }
    if (entry.numbers === entry.count) {
      numeric.push(key);
    } else if (entry.strings.size > 0 && entry.strings.size <= 50 && entry.numbers === 0) {
      categorical.push(key);
    }
  }
  const names = [...numeric, ...categorical];
  return {
    name: "attributes",
    columns: { numeric, categorical },
    // Attributes are the users' current ones: the same whatever the time asked.
    values: () =>
      log.users.map((user) => {
        const row: Record<string, TabularValue> = {};
        for (const key of names) {
          const value = ownEntry(user.attributes, key);
          if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
            row[key] = value;
          }
        }
        return row;
      }),
  };
}

/** Every group's values merged per user, and the columns of all groups. */
export function mergeFeatureGroups(
  groups: readonly BehaviourFeatureGroup[],
  endMs: number,
): { rows: Array<Record<string, TabularValue>>; numeric: string[]; categorical: string[] } {
  const numeric: string[] = [];
  const categorical: string[] = [];
  const names = new Set<string>();
  for (const group of groups) {
    for (const name of [...group.columns.numeric, ...group.columns.categorical]) {
      if (names.has(name)) {
        throw new Error(`behaviour features: column '${name}' of group '${group.name}' is already used`);
      }
      names.add(name);
    }
    numeric.push(...group.columns.numeric);
    categorical.push(...group.columns.categorical);
  }
  const blocks = groups.map((group) => group.values(endMs));
  const users = blocks[0]?.length ?? 0;
  const rows = Array.from({ length: users }, (_, u) =>
    Object.assign({}, ...blocks.map((block) => block[u]!)),
  );
  return { rows, numeric, categorical };
}
