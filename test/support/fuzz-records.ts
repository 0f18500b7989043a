/**
 * Ingestion records for the fuzz suites, each labelled by the generator with what the contract must
 * make of it: `valid` (stored once, as sent), `invalid` (rejected on its own, under any reading of the
 * contract: a lone surrogate, NUL, nesting thousands deep, a number no range admits, a wrong type) or
 * `ambiguous` (a reading the contract leaves open, such as an attribute named `__proto__` or an unknown
 * deeply nested field: rejected, or stored with what the contract keeps). The label comes from how the
 * record was built, never from the code under test.
 */
import fc from "fast-check";
import type { IngestRecordInput } from "../../models/contracts/index.ts";
import {
  brokenString,
  cleanId,
  deepValue,
  hostileNumber,
  junkValue,
  objectOf,
  PROTOTYPE_NAMES,
  RawJson,
} from "./fuzz-arbitraries.ts";

/** The event_id of a generated record until a batch builder gives it a real one. */
export const EVENT_ID_PLACEHOLDER = "<event_id>";

/** Records are dated in the 20 days before this, so a training run at END_MS + 1 h reads them. */
export const FUZZ_END_MS = Date.UTC(2026, 10, 20);

export type FuzzRecord =
  /** `input` is what the store must end up holding for the record's event_id. */
  | { kind: "valid"; value: Record<string, unknown>; input: IngestRecordInput }
  | { kind: "invalid"; value: unknown; why: string }
  /** If accepted, the store must hold `input` (what the contract keeps of `value`). */
  | { kind: "ambiguous"; value: Record<string, unknown>; input: IngestRecordInput; why: string };

/** Keys a valid attribute or context map may use: prototype names but `__proto__` (see ambiguous). */
const safeKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES.filter((name) => name !== "__proto__" && name !== "prototype")),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
);
/** Well-formed text without NUL, for free-text fields. */
const freeText = (maxLength: number) =>
  fc.string({ unit: "grapheme", minLength: 1, maxLength }).filter((text) => !text.includes("\u0000"));
const primitive = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  freeText(16),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);
const attributes = fc
  .uniqueArray(
    fc.tuple(safeKey, fc.oneof(primitive, fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 3 }))),
    {
      maxLength: 5,
      selector: ([key]) => key,
    },
  )
  .map(objectOf);
const context = fc
  .uniqueArray(fc.tuple(safeKey, fc.oneof(fc.integer({ min: 0, max: 50 }), fc.boolean(), freeText(16))), {
    maxLength: 4,
    selector: ([key]) => key,
  })
  .chain((entries) =>
    fc.record({ surface: fc.constantFrom("home", "product"), device: freeText(20) }).map((named) => ({
      ...objectOf(entries),
      ...named,
    })),
  );

/** User and item ids: a small pool (so users and items recur and train), prototype names, any text. */
const userId = fc.oneof(
  { weight: 6, arbitrary: fc.nat(29).map((n) => `fz-u${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: cleanId },
);
const itemId = fc.oneof(
  { weight: 6, arbitrary: fc.nat(39).map((n) => `fz-i${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: cleanId },
);
const tsMs = fc.integer({ min: FUZZ_END_MS - 20 * 86_400_000, max: FUZZ_END_MS });
const ts = fc.oneof(
  tsMs,
  tsMs.map((ms) => new Date(ms).toISOString()),
);
const source = fc.constantFrom("web", "app", "pos", "import", "constructor");

/** A valid record of any type, with a placeholder event_id the batch builder replaces. */
export const validRecord: fc.Arbitrary<IngestRecordInput> = fc
  .oneof(
    fc.record(
      {
        type: fc.constantFrom("view" as const),
        user_id: userId,
        item_id: itemId,
        value: fc.integer({ min: 0, max: 600_000 }),
        context,
      },
      { requiredKeys: ["type", "user_id"] },
    ),
    fc.record(
      {
        type: fc.constantFrom("click" as const, "add_to_cart" as const),
        user_id: userId,
        item_id: itemId,
        context,
      },
      { requiredKeys: ["type", "user_id", "item_id"] },
    ),
    fc.record({
      type: fc.constant("purchase" as const),
      user_id: userId,
      item_id: itemId,
      value: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
    }),
    fc.record({
      type: fc.constant("rating" as const),
      user_id: userId,
      item_id: itemId,
      value: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({ type: fc.constant("review" as const), user_id: userId, item_id: itemId, text: freeText(40) }),
    fc.record(
      { type: fc.constant("user" as const), user_id: userId, attributes },
      { requiredKeys: ["type", "user_id"] },
    ),
    fc.record(
      {
        type: fc.constant("item" as const),
        item_id: itemId,
        title: freeText(30),
        text: freeText(60),
        categories: fc.array(freeText(12), { maxLength: 3 }),
        price: fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100),
        image_url: fc.constantFrom("https://img.example/a.jpg", "http://x.example/%E2%9C%93.png"),
        attributes,
      },
      { requiredKeys: ["type", "item_id"] },
    ),
  )
  .chain((record) =>
    fc
      .record({ ts, source })
      .map((common) => ({ event_id: EVENT_ID_PLACEHOLDER, ...common, ...record }) as IngestRecordInput),
  );

type Breaker = (record: Record<string, unknown>) => fc.Arbitrary<{ value: unknown; why: string }>;

const set = (record: Record<string, unknown>, field: string, value: unknown) => ({
  ...record,
  [field]: value,
});
const textFieldOf = (record: Record<string, unknown>) =>
  record.type === "review" ? "text" : record.type === "item" ? "title" : "user_id";

/** Ways to make a valid record certainly invalid. */
const BREAKERS: Breaker[] = [
  (r) =>
    fc
      .tuple(
        fc.constantFrom("event_id", textFieldOf(r), r.type === "user" ? "user_id" : "item_id"),
        brokenString,
      )
      .map(([field, text]) => ({
        value: set(r, field, text),
        why: `${field} holds a lone surrogate or NUL`,
      })),
  (r) =>
    brokenString.map((text) =>
      r.type === "user" || r.type === "item"
        ? { value: set(r, "attributes", { note: text }), why: "an attribute holds a lone surrogate or NUL" }
        : {
            value: set(r, "context", { surface: "home", device: text }),
            why: "context holds a lone surrogate or NUL",
          },
    ),
  (r) =>
    deepValue.map((deep) =>
      r.type === "user" || r.type === "item"
        ? {
            value: set(r, "attributes", { nested: deep }),
            why: "an attribute nested thousands of levels deep",
          }
        : { value: set(r, "context", { nested: deep }), why: "context nested thousands of levels deep" },
    ),
  () => deepValue.map((deep) => ({ value: deep, why: "the record is an array nested thousands deep" })),
  (r) =>
    fc
      .constantFrom(
        ...["1e308", "-1e308", "1e999", "-1e999", "1.7976931348623157e308"].map((t) => new RawJson(t)),
      )
      .map((number) =>
        r.type === "item"
          ? { value: set(r, "price", number), why: "price is huge or infinite" }
          : r.type === "rating"
            ? { value: set(r, "value", number), why: "rating value is huge or infinite" }
            : { value: set(r, "ts", number), why: "ts is huge or infinite" },
      ),
  (r) =>
    fc
      .constantFrom(-5, -1, -0.01)
      .map((number) =>
        r.type === "item"
          ? { value: set(r, "price", number), why: "price is negative" }
          : r.type === "rating"
            ? { value: set(r, "value", number), why: "rating value is negative" }
            : { value: set(r, "ts", new RawJson("-0")), why: "ts is -0" },
      ),
  (r) =>
    hostileNumber
      .filter((n) => !(n instanceof RawJson))
      .map((text) => ({ value: set(r, "ts", text), why: "ts is a number in a string" })),
  (r) =>
    fc
      .constantFrom<unknown>(...PROTOTYPE_NAMES, "teleport", 7, null)
      .map((type) => ({ value: set(r, "type", type), why: "unknown type" })),
  (r) =>
    fc.constantFrom<unknown>(undefined, 42, "", { id: 1 }, "x".repeat(129)).map((id) => ({
      value: set(r, "event_id", id),
      why: "event_id missing, empty, too long or not a string",
    })),
  (r) =>
    fc
      .constantFrom<unknown>("Web Shop", "", 3, "toString")
      .map((s) => ({ value: set(r, "source", s), why: "bad source" })),
  () => junkValue.map((value) => ({ value, why: "not a record" })),
];

/** A valid record made certainly invalid. */
export const invalidRecord: fc.Arbitrary<FuzzRecord> = fc
  .tuple(validRecord, fc.nat(BREAKERS.length - 1))
  .chain(([record, breaker]) => BREAKERS[breaker]!(record as Record<string, unknown>))
  .map(({ value, why }) => ({ kind: "invalid" as const, value, why }));

/** A valid record with something the contract may keep, drop or refuse. */
export const ambiguousRecord: fc.Arbitrary<FuzzRecord> = fc
  .tuple(validRecord, fc.nat(2), fc.oneof(deepValue, hostileNumber, fc.integer()))
  .map(([input, choice, extra]): FuzzRecord => {
    const record = input as Record<string, unknown>;
    if (choice === 0 && (record.type === "user" || record.type === "item")) {
      const withProto = objectOf([["__proto__", 1], ...Object.entries(record.attributes ?? {})]);
      const changed = { ...record, attributes: withProto } as IngestRecordInput;
      return { kind: "ambiguous", value: changed, input: changed, why: "an attribute named __proto__" };
    }
    if (choice === 1 && record.type !== "user" && record.type !== "item") {
      const withProto = objectOf([["__proto__", "x"], ...Object.entries(record.context ?? {})]);
      const changed = { ...record, context: withProto } as IngestRecordInput;
      return { kind: "ambiguous", value: changed, input: changed, why: "a context key named __proto__" };
    }
    return {
      kind: "ambiguous",
      value: objectOf([...Object.entries(record), ["__proto__", { polluted: true }], ["extra", extra]]),
      input,
      why: "unknown top-level fields (__proto__, a deep or hostile value)",
    };
  });

export const validEntry: fc.Arbitrary<FuzzRecord> = validRecord.map((input) => ({
  kind: "valid",
  value: input as Record<string, unknown>,
  input,
}));
