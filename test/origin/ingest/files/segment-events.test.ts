import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { IngestRecord, parseIngestRecord } from "../../../../models/contracts/index.ts";
import { readSegmentRecords, type SourceItem } from "../../../../origin/ingest/files/index.ts";

const at = "2024-05-01T10:00:00.000Z";
const ts = Date.parse(at);

async function read(messages: unknown[], raw: string[] = []): Promise<SourceItem[]> {
  const lines = [...messages.map((m) => JSON.stringify(m)), ...raw];
  const out: SourceItem[] = [];
  for await (const item of readSegmentRecords(Readable.from([lines.join("\n")]))) {
    out.push(item);
  }
  return out;
}

/** A track message of the e-commerce spec by user `u` at `at`, with more fields from `extra`. */
const track = (event: string, messageId: string, properties: object, extra: object = {}) => ({
  type: "track",
  event,
  messageId,
  userId: "u",
  timestamp: at,
  properties,
  ...extra,
});

const records = (items: SourceItem[]) =>
  items.flatMap((item) => ("ok" in item && item.ok ? [item.value as Record<string, unknown>] : []));

describe("Segment and RudderStack e-commerce events", () => {
  it("maps product views, clicks and cart adds to events, and the product to one item record", async () => {
    const product = {
      product_id: "p-1",
      name: "Trail shoe",
      category: "Shoes",
      price: 89.5,
      brand: "Acme",
      image_url: "https://cdn.example.com/p1.jpg",
    };
    const items = await read([
      track("Product Viewed", "m-1", product, { userId: "u-1" }),
      track("Product Clicked", "m-2", product, { userId: undefined, anonymousId: "anon-9" }),
      track(
        "Product Added",
        "m-3",
        { ...product, quantity: 2 },
        { userId: "u-1", timestamp: undefined, originalTimestamp: at },
      ),
    ]);
    expect(records(items)).toEqual([
      {
        event_id: "m-1:item:p-1",
        type: "item",
        item_id: "p-1",
        ts,
        source: "segment",
        title: "Trail shoe",
        categories: ["Shoes"],
        price: 89.5,
        image_url: "https://cdn.example.com/p1.jpg",
        attributes: { brand: "Acme" },
      },
      { event_id: "m-1", type: "view", user_id: "u-1", item_id: "p-1", ts, source: "segment" },
      { event_id: "m-2", type: "click", user_id: "anon-9", item_id: "p-1", ts, source: "segment" },
      {
        event_id: "m-3",
        type: "add_to_cart",
        user_id: "u-1",
        item_id: "p-1",
        ts,
        source: "segment",
        value: 89.5,
        context: { quantity: 2 },
      },
    ]);
    for (const record of records(items)) {
      expect(parseIngestRecord(record, IngestRecord).success, JSON.stringify(record)).toBe(true);
    }
  });

  it("makes one purchase per product of a completed order, and an item record again when a product changes", async () => {
    const items = await read([
      track("Product Viewed", "v", { product_id: "a", price: 10 }),
      track("Order Completed", "o-1", {
        order_id: "ord-7",
        products: [
          { product_id: "a", price: 10, quantity: 1 },
          { sku: "b-sku", price: 5, quantity: 3 },
          { name: "no id" },
        ],
      }),
      track("Completed Order", "o-2", { products: [{ product_id: "a", price: 12 }] }),
    ]);
    const purchases = records(items).filter((r) => r.type === "purchase");
    expect(purchases).toEqual([
      {
        event_id: "o-1:0",
        type: "purchase",
        user_id: "u",
        item_id: "a",
        ts,
        source: "segment",
        value: 10,
        context: { quantity: 1, order_id: "ord-7" },
      },
      {
        event_id: "o-1:1",
        type: "purchase",
        user_id: "u",
        item_id: "b-sku",
        ts,
        source: "segment",
        value: 5,
        context: { quantity: 3, order_id: "ord-7" },
      },
      { event_id: "o-2:0", type: "purchase", user_id: "u", item_id: "a", ts, source: "segment", value: 12 },
    ]);
    // "a" at price 10 is written once (view, then the order); again when its price becomes 12
    expect(
      records(items)
        .filter((r) => r.type === "item")
        .map((r) => [r.event_id, r.price]),
    ).toEqual([
      ["v:item:a", 10],
      ["o-1:item:b-sku", 5],
      ["o-2:item:a", 12],
    ]);
    expect(items.filter((i) => "ok" in i && !i.ok)).toEqual([
      { ok: false, error: "products[2] has no product_id, id or sku", line: 2 },
    ]);
  });

  it("makes a review with its rating and a rating event from Product Reviewed", async () => {
    const items = await read([
      track("Product Reviewed", "r-1", { product_id: "p", review_body: "Great fit", rating: 5 }),
      track("Product Reviewed", "r-2", { product_id: "q", rating: "2" }),
    ]);
    expect(records(items)).toEqual([
      {
        event_id: "r-1:review",
        type: "review",
        user_id: "u",
        item_id: "p",
        ts,
        source: "segment",
        text: "Great fit",
        value: 5,
      },
      { event_id: "r-1:rating", type: "rating", user_id: "u", item_id: "p", ts, source: "segment", value: 5 },
      { event_id: "r-2:rating", type: "rating", user_id: "u", item_id: "q", ts, source: "segment", value: 2 },
    ]);
  });

  it("maps identify traits to user attributes, flattening nested objects", async () => {
    const items = await read([
      {
        type: "identify",
        messageId: "i-1",
        userId: "u-1",
        timestamp: at,
        traits: {
          plan: "pro",
          age: 34,
          vip: true,
          address: { city: "Lyon", country: "FR" },
          tags: ["a", "b"],
          orders: [{ id: 1 }],
        },
      },
      {
        type: "identify",
        messageId: "i-2",
        userId: "u-2",
        timestamp: at,
        context: { traits: { plan: "free" } },
      },
    ]);
    expect(records(items)).toEqual([
      {
        event_id: "i-1",
        type: "user",
        user_id: "u-1",
        ts,
        source: "segment",
        attributes: {
          plan: "pro",
          age: 34,
          vip: true,
          address_city: "Lyon",
          address_country: "FR",
          tags: ["a", "b"],
        },
      },
      { event_id: "i-2", type: "user", user_id: "u-2", ts, source: "segment", attributes: { plan: "free" } },
    ]);
  });

  it("skips other messages by name, and reports broken ones with their line", async () => {
    const items = await read(
      [
        { type: "page", messageId: "p", userId: "u", timestamp: at, name: "Home" },
        track("Signed Up", "s", {}),
        track("Product Viewed", "x", { product_id: "p" }, { userId: undefined }),
        track("Product Viewed", "y", { product_id: "p" }, { timestamp: "yesterday" }),
        track("Product Viewed", "z", {}),
      ],
      ["{not json", "[1,2]"],
    );
    expect(items).toEqual([
      { skipped: "page messages", line: 1 },
      { skipped: "track 'Signed Up' (not an e-commerce event Edgewise reads)", line: 2 },
      { ok: false, error: "no userId nor anonymousId", line: 3 },
      { ok: false, error: expect.stringMatching(/^timestamp: 'yesterday' is not/), line: 4 },
      { ok: false, error: "properties has no product_id, id or sku", line: 5 },
      { ok: false, error: expect.stringMatching(/^not valid JSON/), line: 6 },
      { ok: false, error: "not a JSON object", line: 7 },
    ]);
  });

  it("derives a stable id for a message without messageId, and hashes ids past the contract's length", async () => {
    const message = track("Product Viewed", "unused", { product_id: "p" }, { messageId: undefined });
    const [first] = records(await read([message]));
    const [again] = records(await read([message]));
    expect(first!.event_id).toMatch(/^seg-[\w-]{22}$/);
    expect(again!.event_id).toBe(first!.event_id);
    const long = "m".repeat(127); // with ":0" one past the contract's 128
    const order = track("Order Completed", long, { products: [{ product_id: "p" }] });
    const [purchase] = records(await read([order]));
    expect(purchase!.event_id).toMatch(/^seg-[\w-]{22}$/);
    expect(records(await read([order]))[0]!.event_id).toBe(purchase!.event_id);
  });
});
