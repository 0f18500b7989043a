/**
 * Segment's and RudderStack's e-commerce spec (one JSON message a line, as their S3/warehouse exports and
 * replay files write them) as Edgewise records:
 *
 *   track "Product Viewed"    → view         item_id = properties.product_id (else id, else sku)
 *   track "Product Clicked"   → click
 *   track "Product Added"     → add_to_cart  value = price, context.quantity
 *   track "Order Completed"   → purchase     one per entry of properties.products, context.order_id
 *   track "Product Reviewed"  → review       text = review_body, value = rating; and a rating event
 *   identify                  → user         attributes = traits (nested objects flattened with "_")
 *   a product's name, category, price, image_url, brand and variant → an item record, written when
 *   the product is first met in a file and again whenever those fields change.
 *
 * The legacy v1 names ("Viewed Product", "Completed Order", …) are read the same. user_id is userId, or
 * anonymousId for a visitor who never identified; the time is timestamp (else originalTimestamp,
 * receivedAt, sentAt). The event id is the message's messageId, with a suffix for each record one
 * message makes, so a replayed export stores nothing twice. Any other message (page, screen, group,
 * alias, other track events) is skipped and counted by name, never silently.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { EVENT_LIMITS, type IngestRecordInput } from "../../../models/contracts/index.ts";
import { parseEventTime } from "./event-time.ts";
import type { SourceItem } from "./mapped-records.ts";
import { rowEventId } from "./row-event-id.ts";

type Json = Record<string, unknown>;
type ProductEvent = "view" | "click" | "add_to_cart" | "purchase" | "review";

/** Spec event names (v2, then the v1 names) to what they become. */
const TRACK_EVENTS: Readonly<Record<string, ProductEvent>> = {
  "Product Viewed": "view",
  "Product Clicked": "click",
  "Product Added": "add_to_cart",
  "Order Completed": "purchase",
  "Product Reviewed": "review",
  "Viewed Product": "view",
  "Clicked Product": "click",
  "Added Product": "add_to_cart",
  "Completed Order": "purchase",
  "Reviewed Product": "review",
};

/** The spec's product fields that describe the item without having an item field of their own. */
const ITEM_ATTRIBUTES = ["brand", "variant"] as const;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function text(value: unknown): string | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

function finite(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** An id within the contract's length: suffixed ids past it are hashed (still deterministic). */
function derivedId(base: string, suffix: string): string {
  const id = suffix === "" ? base : `${base}:${suffix}`;
  return id.length <= EVENT_LIMITS.idChars ? id : rowEventId("seg", [id]);
}

/**
 * Attributes from a traits object: primitives kept, lists of primitives kept, nested objects flattened
 * one key path at a time (`address.city` → `address_city`); anything else (lists of objects) dropped.
 * The contract then checks names and sizes, and refuses the record with its reason if they break it.
 */
function flattenTraits(traits: Json, prefix = "", out: Json = {}, depth = 0): Json {
  for (const [key, value] of Object.entries(traits)) {
    const name = prefix === "" ? key : `${prefix}_${key}`;
    if (isObject(value)) {
      if (depth < 3) {
        flattenTraits(value, name, out, depth + 1);
      }
    } else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === "string" || typeof v === "number")) {
        out[name] = value;
      }
    } else if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      out[name] = value;
    }
  }
  return out;
}

export interface SegmentOptions {
  /** The records' `source`. Default `segment`. */
  source?: string;
}

interface ItemFields {
  title?: string;
  categories?: string[];
  price?: number;
  image_url?: string;
  attributes?: Record<string, string>;
}

/** The item fields one mention of a product carries (a purchase line may carry only its price). */
function itemFields(product: Json): ItemFields {
  const title = text(product.name);
  const category = text(product.category);
  const price = finite(product.price);
  const imageUrl = text(product.image_url);
  const attributes = Object.fromEntries(
    ITEM_ATTRIBUTES.flatMap((key) => {
      const value = text(product[key]);
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return {
    ...(title === undefined ? {} : { title }),
    ...(category === undefined ? {} : { categories: [category] }),
    ...(price === undefined || price < 0 ? {} : { price }),
    ...(imageUrl === undefined ? {} : { image_url: imageUrl }),
    ...(Object.keys(attributes).length === 0 ? {} : { attributes }),
  };
}

/**
 * Item records for one file's reading. What is known of each product accumulates over its mentions, and
 * an item record (all that is known, since a stored item record replaces the previous one whole) is
 * written when a mention adds or changes a field: a purchase line naming only the price keeps the title
 * a view gave.
 */
function itemWriter(source: string) {
  const known = new Map<string, ItemFields>();
  return (product: Json, itemId: string, ts: number, messageId: string): IngestRecordInput | null => {
    const mention = itemFields(product);
    const before = known.get(itemId) ?? {};
    const merged: ItemFields = { ...before, ...mention };
    if (before.attributes !== undefined || mention.attributes !== undefined) {
      merged.attributes = { ...before.attributes, ...mention.attributes };
    }
    if (Object.keys(merged).length === 0 || JSON.stringify(merged) === JSON.stringify(before)) {
      return null;
    }
    known.set(itemId, merged);
    const record = {
      event_id: derivedId(messageId, `item:${itemId}`),
      type: "item",
      item_id: itemId,
      ts,
      source,
    };
    return { ...record, ...merged } as IngestRecordInput;
  };
}

/**
 * The records one product of a track message makes: a review makes a review (with its text and rating)
 * and a rating event (for the recommender); the others one event of their type, carrying the price of an
 * add to cart or a purchase as its value and the quantity and order id as context.
 */
function eventRecords(
  type: ProductEvent,
  common: Base & { item_id: string },
  product: Json,
  properties: Json,
  eventId: string,
): IngestRecordInput[] {
  if (type === "review") {
    const rating = finite(product.rating);
    const body = text(product.review_body);
    const records: IngestRecordInput[] = [];
    // Without a body the review is still passed on: the contract refuses it with its own reason.
    if (body !== undefined || rating === undefined) {
      const value = rating === undefined ? {} : { value: rating };
      records.push({
        ...common,
        event_id: derivedId(eventId, "review"),
        type,
        text: body,
        ...value,
      } as IngestRecordInput);
    }
    if (rating !== undefined) {
      records.push({
        ...common,
        event_id: derivedId(eventId, "rating"),
        type: "rating",
        value: rating,
      } as IngestRecordInput);
    }
    return records;
  }
  const price = finite(product.price);
  const quantity = finite(product.quantity);
  const orderId = type === "purchase" ? text(properties.order_id) : undefined;
  const context = {
    ...(quantity === undefined ? {} : { quantity }),
    ...(orderId === undefined ? {} : { order_id: orderId }),
  };
  const priced = price !== undefined && (type === "add_to_cart" || type === "purchase");
  return [
    {
      ...common,
      event_id: eventId,
      type,
      ...(priced ? { value: price } : {}),
      ...(Object.keys(context).length === 0 ? {} : { context }),
    } as IngestRecordInput,
  ];
}

/** One message's records and the problems that cost it some (or all) of them, or why it is skipped. */
type Mapped = { records: IngestRecordInput[]; problems: string[] } | { skipped: string };

type Base = { ts: number; source: string; user_id: string };

function identifyRecords(message: Json, base: Base, messageId: string): Mapped {
  const fromContext =
    isObject(message.context) && isObject(message.context.traits) ? message.context.traits : {};
  const traits = isObject(message.traits) ? message.traits : fromContext;
  const record = {
    ...base,
    event_id: derivedId(messageId, ""),
    type: "user",
    attributes: flattenTraits(traits),
  };
  return { records: [record as IngestRecordInput], problems: [] };
}

/** A track message's records: one product, or each product of an order (numbered by its place in it). */
function trackRecords(
  type: ProductEvent,
  message: Json,
  base: Base,
  messageId: string,
  itemRecord: ReturnType<typeof itemWriter>,
): Mapped {
  const properties = isObject(message.properties) ? message.properties : {};
  const ordered = Array.isArray(properties.products) ? properties.products.filter(isObject) : [];
  const products: Json[] = type === "purchase" ? ordered : [properties];
  const mapped: Mapped = { records: [], problems: [] };
  if (products.length === 0) {
    mapped.problems.push(`${text(message.event)} has no products`);
  }
  products.forEach((product, index) => {
    const itemId = text(product.product_id) ?? text(product.id) ?? text(product.sku);
    const where = type === "purchase" ? `products[${index}]` : "properties";
    if (itemId === undefined) {
      mapped.problems.push(`${where} has no product_id, id or sku`);
      return;
    }
    const item = itemRecord(product, itemId, base.ts, messageId);
    if (item !== null) {
      mapped.records.push(item);
    }
    const eventId = derivedId(messageId, type === "purchase" ? String(index) : "");
    mapped.records.push(...eventRecords(type, { ...base, item_id: itemId }, product, properties, eventId));
  });
  return mapped;
}

function messageMapper(options: SegmentOptions) {
  const source = options.source ?? "segment";
  const itemRecord = itemWriter(source);
  const refuse = (problem: string): Mapped => ({ records: [], problems: [problem] });

  return (message: Json, lineText: string): Mapped => {
    const kind = text(message.type);
    if (kind !== "track" && kind !== "identify") {
      return { skipped: `${kind ?? "untyped"} messages` };
    }
    const event = kind === "track" ? text(message.event) : undefined;
    const type = event === undefined ? undefined : TRACK_EVENTS[event];
    if (kind === "track" && type === undefined) {
      return { skipped: `track '${event ?? ""}' (not an e-commerce event Edgewise reads)` };
    }
    const userId = text(message.userId) ?? text(message.anonymousId);
    if (userId === undefined) {
      return refuse("no userId nor anonymousId");
    }
    const when = message.timestamp ?? message.originalTimestamp ?? message.receivedAt ?? message.sentAt;
    const ts = parseEventTime(when, { format: "auto" });
    if (typeof ts === "string") {
      return refuse(`timestamp: ${ts}`);
    }
    const messageId = text(message.messageId) ?? rowEventId("seg", [lineText]);
    const base = { ts, source, user_id: userId };
    return type === undefined
      ? identifyRecords(message, base, messageId)
      : trackRecords(type, message, base, messageId, itemRecord);
  };
}

/** Records of a Segment / RudderStack JSON-lines stream, each with its line. */
export async function* readSegmentRecords(
  input: Readable,
  options: SegmentOptions = {},
): AsyncGenerator<SourceItem> {
  const map = messageMapper(options);
  let line = 0;
  for await (const lineText of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (lineText.trim() === "") {
      continue;
    }
    let message: unknown;
    try {
      message = JSON.parse(lineText);
    } catch (error) {
      yield { ok: false, error: `not valid JSON: ${(error as Error).message}`, line };
      continue;
    }
    if (!isObject(message)) {
      yield { ok: false, error: "not a JSON object", line };
      continue;
    }
    const mapped = map(message, lineText);
    if ("skipped" in mapped) {
      yield { skipped: mapped.skipped, line };
      continue;
    }
    for (const problem of mapped.problems) {
      yield { ok: false, error: problem, line };
    }
    for (const record of mapped.records) {
      yield { ok: true, value: record, line };
    }
  }
}
