/**
 * The records a client sends: interaction events (view … review) and user / item records. The origin's
 * ingestion endpoint and the edge's event endpoint validate with these same schemas, so a record the edge
 * accepts is one the origin stores. Every record carries a client-chosen `event_id` (the idempotency key:
 * a retried record is stored once) and an event time `ts`, accepted as ISO-8601 or epoch milliseconds
 * and normalised to epoch milliseconds.
 */
import { z } from "zod";
import { IMAGE_URL_LIMITS, type ImageUrlRules, imageUrlProblem } from "./image-url.ts";
import {
  boundedNumber,
  isStorableText,
  nestingProblem,
  refusingProtoKey,
  STORABLE_TEXT_MESSAGE,
  storableString,
} from "./storable.ts";

/** Interaction types in a fixed order: the index is the code used in typed-array batches (see INTERACTION_TYPE_CODE). */
export const INTERACTION_TYPES = ["view", "click", "add_to_cart", "purchase", "rating", "review"] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];
export const RECORD_TYPES = [...INTERACTION_TYPES, "user", "item"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const INTERACTION_TYPE_CODE: Readonly<Record<InteractionType, number>> = Object.freeze(
  Object.fromEntries(INTERACTION_TYPES.map((type, code) => [type, code])) as Record<InteractionType, number>,
);

/** Bounds on every field, so one record can never be arbitrarily large, and every record can train. */
export const EVENT_LIMITS = {
  idChars: 128,
  sourceChars: 32,
  reviewTextChars: 10_000,
  itemTextChars: 20_000,
  titleChars: 512,
  /** An item's http(s) or file: `image_url`; a `data:` one may hold up to imageDataUrlChars. */
  urlChars: IMAGE_URL_LIMITS.urlChars,
  imageDataUrlChars: IMAGE_URL_LIMITS.dataUrlChars,
  categories: 32,
  categoryChars: 128,
  contextKeys: 32,
  attributeKeys: 64,
  keyChars: 64,
  featureStringChars: 256,
  attributeListLength: 64,
  /** A user's or item's attributes as JSON, at most this many characters. */
  attributesJsonChars: 65_536,
  /**
   * Levels of arrays and objects in a whole record, unknown fields included (a record with attributes
   * lists needs 3). A deeper record is refused before its schema is tried.
   */
  recordDepth: 16,
  /**
   * Largest magnitude of any number in a record (`value`, context and attribute numbers): far beyond any
   * real dwell time, amount or feature, and small enough that trainers can square and sum such numbers
   * (and hold them as float32) without reaching Infinity.
   */
  numberAbsMax: 1e15,
  /** Epoch ms below this (1973-03-03) are almost surely epoch seconds sent by mistake. */
  tsMinMs: 100_000_000_000,
  /** 2100-01-01T00:00:00Z. */
  tsMaxMs: 4_102_444_800_000,
} as const;

/**
 * The ranges a business may set to its own scale (the origin reads them from RATING_MIN, RATING_MAX and
 * PRICE_MAX; see recordSchemas). The defaults cover 1–5 stars and 0–10 scores, and prices up to a billion
 * in the catalogue's currency.
 */
export interface ValueRanges {
  ratingMin: number;
  ratingMax: number;
  priceMax: number;
}

export const DEFAULT_VALUE_RANGES: Readonly<ValueRanges> = Object.freeze({
  ratingMin: 0,
  ratingMax: 10,
  priceMax: 1e9,
});

const L = EVENT_LIMITS;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject control characters.
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]+$/;
const SOURCE_PATTERN = /^[a-z][a-z0-9_-]*$/;

/**
 * Any characters but control characters: ids end up in KV keys, logs and COPY streams. Decisions and
 * rewards (decision.ts) take their ids by the same rules.
 */
export const idString = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(L.idChars, `${what} is longer than ${L.idChars} characters`)
    .regex(NO_CONTROL_CHARS, `${what} must not contain control characters`)
    .refine(isStorableText, `${what} ${STORABLE_TEXT_MESSAGE}`);

/** idString's rules as one predicate, for the readers that check records without zod (plain-interaction.ts). */
export function isValidId(value: string): boolean {
  return value.length <= L.idChars && NO_CONTROL_CHARS.test(value) && isStorableText(value);
}

/** The Source schema's rules as one predicate. */
export function isValidSource(value: string): boolean {
  return value.length <= L.sourceChars && SOURCE_PATTERN.test(value);
}

/** Postgres text and jsonb cannot hold NUL nor unpaired surrogates, so a record carrying one could never be stored: refuse it here. */
const freeText = (max: number) => storableString().max(max);

const EventTime = z
  .union([
    // Fractions of a millisecond (performance.timeOrigin + performance.now()) are rounded below.
    z
      .number()
      .min(L.tsMinMs, "ts is before 1973-03-03: send epoch milliseconds, not seconds")
      .max(L.tsMaxMs, "ts is after 2100-01-01"),
    z.iso.datetime({ offset: true, message: "ts must be ISO-8601 with a time zone, or epoch milliseconds" }),
  ])
  .transform((value, ctx) => {
    const ms = typeof value === "number" ? Math.round(value) : Date.parse(value);
    if (ms < L.tsMinMs || ms > L.tsMaxMs) {
      ctx.addIssue({ code: "custom", message: "ts must lie between 1973-03-03 and 2100-01-01" });
      return z.NEVER;
    }
    return ms;
  });

const Source = z
  .string()
  .regex(SOURCE_PATTERN, "source must be lower-case letters, digits, '_' or '-' (web, app, pos, …)")
  .max(L.sourceChars);

const FeatureNumber = boundedNumber("a number", -L.numberAbsMax, L.numberAbsMax);
const FeatureValue = z.union([freeText(L.featureStringChars), FeatureNumber, z.boolean(), z.null()]);
const AttributeValue = z.union([
  FeatureValue,
  z.array(z.union([freeText(L.featureStringChars), FeatureNumber])).max(L.attributeListLength),
]);
const Key = freeText(L.keyChars).min(1);
/** Attribute names are also MongoDB field names in item documents: no leading "$", no ".". */
const AttributeKey = Key.regex(/^[^$.][^.]*$/);

const maxKeys = (limit: number) => (value: object) => Object.keys(value).length <= limit;
/** Runs after the fields parsed, so the value is shallow and bounded: stringifying it is safe. */
const maxJsonChars = (limit: number) => (value: object) => JSON.stringify(value).length <= limit;

/**
 * Where and how the interaction happened: surface and device, plus free features (primitives only). Its
 * size is bounded by its shape: at most contextKeys keys of keyChars, each a number or featureStringChars.
 */
export const EventContext = refusingProtoKey(
  z
    .object({ surface: freeText(L.keyChars).optional(), device: freeText(L.keyChars).optional() })
    .catchall(FeatureValue)
    .refine(maxKeys(L.contextKeys), `context has more than ${L.contextKeys} keys`)
    .refine(
      (value) => Object.keys(value).every((key) => Key.safeParse(key).success),
      `context keys must be 1 to ${L.keyChars} characters, well-formed, without NUL`,
    ),
);
export type EventContext = z.infer<typeof EventContext>;

/** Free-form attributes of a user or an item: primitives or short lists of them. */
export const Attributes = refusingProtoKey(
  z
    .record(z.string(), AttributeValue)
    // Checked here rather than as the record's key schema, whose failure message names no rule.
    .refine(
      (value) => Object.keys(value).every((key) => AttributeKey.safeParse(key).success),
      `attribute names must be 1 to ${L.keyChars} characters, well-formed, without NUL, not start with "$" nor contain "."`,
    )
    .refine(maxKeys(L.attributeKeys), `more than ${L.attributeKeys} attributes`)
    .refine(
      maxJsonChars(L.attributesJsonChars),
      `attributes are longer than ${L.attributesJsonChars} characters as JSON`,
    ),
);
export type Attributes = z.infer<typeof Attributes>;

/** The value ranges each IngestRecord schema was made with, for the checks that run without zod. */
const SCHEMA_RANGES = z.registry<ValueRanges>();

/** The value ranges `schema` checks, when recordSchemas made it. */
export function valueRangesOf(schema: IngestRecordSchema): Readonly<ValueRanges> | undefined {
  return SCHEMA_RANGES.get(schema);
}

/**
 * Every record schema, for the given value ranges and image URL rules. The exports below use
 * DEFAULT_VALUE_RANGES and no image folder (the edge validates with them); the origin builds its own with
 * the ranges and IMAGE_FILE_ROOT its configuration sets.
 */
export function recordSchemas(ranges: ValueRanges = DEFAULT_VALUE_RANGES, images: ImageUrlRules = {}) {
  const common = {
    event_id: idString("event_id"),
    ts: EventTime,
    /** Where the record came from: web, app, pos, import, … */
    source: Source,
    user_id: idString("user_id"),
    /** Rating, price, dwell time in ms: the meaning follows the type. */
    value: boundedNumber("value", -L.numberAbsMax, L.numberAbsMax).optional(),
    context: EventContext.optional(),
  };
  const itemId = idString("item_id");
  const reviewText = freeText(L.reviewTextChars).min(1);

  const ViewEvent = z.object({ ...common, type: z.literal("view"), item_id: itemId.optional() });
  const ClickEvent = z.object({ ...common, type: z.literal("click"), item_id: itemId });
  const AddToCartEvent = z.object({ ...common, type: z.literal("add_to_cart"), item_id: itemId });
  const PurchaseEvent = z.object({ ...common, type: z.literal("purchase"), item_id: itemId });
  const RatingEvent = z.object({
    ...common,
    type: z.literal("rating"),
    item_id: itemId,
    value: boundedNumber("a rating's value", ranges.ratingMin, ranges.ratingMax),
  });
  const ReviewEvent = z.object({
    ...common,
    type: z.literal("review"),
    item_id: itemId,
    text: reviewText,
  });

  /** What users do: the edge accepts these from clients. */
  const InteractionEvent = z.discriminatedUnion("type", [
    ViewEvent,
    ClickEvent,
    AddToCartEvent,
    PurchaseEvent,
    RatingEvent,
    ReviewEvent,
  ]);

  /** A user's attributes as of `ts`; a later record replaces them (last writer by event time wins). */
  const UserRecord = z.object({
    event_id: idString("event_id"),
    ts: EventTime,
    source: Source,
    type: z.literal("user"),
    user_id: idString("user_id"),
    attributes: Attributes.optional(),
  });

  /** An item as of `ts`; a later record replaces it (last writer by event time wins). */
  const ItemRecord = z.object({
    event_id: idString("event_id"),
    ts: EventTime,
    source: Source,
    type: z.literal("item"),
    item_id: itemId,
    title: freeText(L.titleChars).optional(),
    /** Description or any text the text models read. */
    text: freeText(L.itemTextChars).optional(),
    categories: z.array(freeText(L.categoryChars).min(1)).max(L.categories).optional(),
    price: boundedNumber("price", 0, ranges.priceMax).optional(),
    /** http(s), a `data:` image, or `file:` inside the origin's IMAGE_FILE_ROOT (see image-url.ts). */
    image_url: z
      .string()
      .max(L.imageDataUrlChars)
      .refine(isStorableText, `image_url ${STORABLE_TEXT_MESSAGE}`)
      .superRefine((value, ctx) => {
        const problem = imageUrlProblem(value, images);
        if (problem !== null) {
          ctx.addIssue({ code: "custom", message: problem });
        }
      })
      .optional(),
    attributes: Attributes.optional(),
  });

  /** One line of an ingestion batch. */
  const IngestRecord = z.discriminatedUnion("type", [
    ViewEvent,
    ClickEvent,
    AddToCartEvent,
    PurchaseEvent,
    RatingEvent,
    ReviewEvent,
    UserRecord,
    ItemRecord,
  ]);
  SCHEMA_RANGES.add(IngestRecord, ranges);
  return {
    ViewEvent,
    ClickEvent,
    AddToCartEvent,
    PurchaseEvent,
    RatingEvent,
    ReviewEvent,
    InteractionEvent,
    UserRecord,
    ItemRecord,
    IngestRecord,
  };
}

export const {
  ViewEvent,
  ClickEvent,
  AddToCartEvent,
  PurchaseEvent,
  RatingEvent,
  ReviewEvent,
  InteractionEvent,
  UserRecord,
  ItemRecord,
  IngestRecord,
} = recordSchemas();
export type InteractionEvent = z.infer<typeof InteractionEvent>;
export type UserRecord = z.infer<typeof UserRecord>;
export type ItemRecord = z.infer<typeof ItemRecord>;
export type IngestRecord = z.infer<typeof IngestRecord>;
/** The shape a client sends (ts as ISO-8601 or epoch ms). */
export type IngestRecordInput = z.input<typeof IngestRecord>;
/** A record schema the origin may build with its own ranges; parses to the same IngestRecord type. */
export type IngestRecordSchema = typeof IngestRecord;

/**
 * One record as the contract judges it, nesting first: the whole received value (unknown fields too,
 * which the schema would drop without looking) must be no deeper than EVENT_LIMITS.recordDepth.
 */
export function parseIngestRecord(
  value: unknown,
  schema: IngestRecordSchema = IngestRecord,
): { success: true; data: IngestRecord } | { success: false; error: string } {
  const tooDeep = nestingProblem(value, L.recordDepth);
  if (tooDeep !== null) {
    return { success: false, error: tooDeep };
  }
  const result = schema.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: describeIssues(result.error) };
}

export function isInteraction(record: IngestRecord): record is InteractionEvent {
  return record.type !== "user" && record.type !== "item";
}

/** One line per issue, `path: message`, for per-event error reports. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
