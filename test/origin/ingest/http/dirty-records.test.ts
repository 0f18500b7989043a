/**
 * Issue 10, cases 1–3 and the raw-copy half of case 10, at the origin: a record no store can hold is
 * rejected on its own (by index, with a message), the records beside it are stored, a store that
 * refuses a record deterministically never makes the batch a 503, and a retried batch keeps one raw copy
 * per record.
 */

import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { IngestRecord, IngestRecordSchema } from "../../../../models/contracts/index.ts";
import { ingestBatch } from "../../../../origin/ingest/http/ingest-batch.ts";
import { TRUNCATED_MARKER } from "../../../../origin/ingest/raw/index.ts";
import { BatchResultBody, createOriginApp, ErrorBody } from "../../../../origin/server/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { decision, reward } from "../../learn/support/learning-records.ts";
import {
  sendBatch,
  startTestOrigin,
  TEST_API_KEY,
  TEST_LIMITS,
  type TestOrigin,
} from "../../support/origin-app.ts";
import { storedEventIds } from "../../support/stored-event-ids.ts";

const T = 1_700_000_000_000;
const view = (event_id: string, fields: Record<string, unknown> = {}) => ({
  event_id,
  type: "view",
  user_id: "dirty-user",
  ts: T,
  source: "web",
  ...fields,
});

/**
 * A record as JSON text with `field` nested `depth` levels deep: built as text, since JSON.stringify
 * itself overflows the stack on such a value (which is the bug this guards against at the origin).
 */
function deepJson(record: object, field: string, depth: number): string {
  const inner = `${'{"a":'.repeat(depth)}"bottom"${"}".repeat(depth)}`;
  return `${JSON.stringify(record).slice(0, -1)},${JSON.stringify(field)}:${inner}}`;
}

async function rawCopies(origin: TestOrigin, prefix: string): Promise<number> {
  const rows = await origin.sql.query("SELECT count(*)::int FROM raw_payloads WHERE event_id LIKE $1", [
    `${prefix}%`,
  ]);
  return rows[0]![0] as number;
}

async function post(origin: TestOrigin, path: string, body: unknown) {
  const response = await origin.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("dirty records at the origin", () => {
  /** Event ids the wrapped store throws for, as a database would for a value it cannot hold. */
  const refuse = new Set<string>();
  let unreachable = false;
  const origin = suiteResource(() =>
    startTestOrigin((store) => ({
      ...store,
      async insertBatch(records, alsoWrite) {
        if (unreachable) {
          throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        }
        if (records.some((record) => refuse.has(record.event_id))) {
          throw Object.assign(new Error("invalid input syntax for type json"), { code: "22P02" });
        }
        return store.insertBatch(records, alsoWrite);
      },
    })),
  );

  it("stores the valid view beside a view with a lone surrogate and rejects only that one", async () => {
    const good = view("lone-good");
    const bad = view("lone-bad", { user_id: "\ud800" });
    const response = await sendBatch(origin().app, [good, bad]);
    expect(response.status).toBe(200);
    expect(response.headers.get("retry-after")).toBeNull();
    const body = BatchResultBody.parse(await response.json());
    expect(body.stored).toBe(1);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 1, event_id: "lone-bad" });
    expect(body.rejected[0]!.error).toMatch(/^user_id: .*unpaired surrogate/);
    expect(await storedEventIds(origin().eventStore, "lone-")).toEqual(["lone-good"]);
    // Its raw copy is kept, with U+FFFD where jsonb cannot hold the surrogate.
    const raw = await origin().rawStore.batchPayloads(body.batch_id);
    expect(raw.map((p) => [p.position, p.accepted])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(raw[1]!.payload).toMatchObject({ user_id: "\ufffd" });
  });

  it("rejects lone surrogates anywhere in a record: context, attributes, item fields", async () => {
    const records = [
      view("anywhere-ok"),
      view("anywhere-ctx", { context: { "k\udc00": 1 } }),
      {
        event_id: "anywhere-user",
        type: "user",
        user_id: "u",
        ts: T,
        source: "crm",
        attributes: { a: "\ud83d" },
      },
      { event_id: "anywhere-item", type: "item", item_id: "i", ts: T, source: "pos", title: "x\ud800y" },
    ];
    const body = BatchResultBody.parse(await (await sendBatch(origin().app, records)).json());
    expect(body.stored).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
  });

  it("rejects a record nested 5,000 levels deep on its own with a 4xx and stores the rest", async () => {
    const deepContext = deepJson(view("deep-context"), "context", 5000);
    const deepExtra = deepJson(view("deep-extra"), "extra", 5000);
    const good = JSON.stringify(view("deep-good"));
    const response = await sendBatch(origin().app, [], { rawBody: `[${deepContext},${good},${deepExtra}]` });
    expect(response.status).toBe(200);
    const body = BatchResultBody.parse(await response.json());
    expect(body.stored).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.event_id])).toEqual([
      [0, "deep-context"],
      [2, "deep-extra"],
    ]);
    expect(body.rejected[0]!.error).toMatch(/nested more than 16 levels/);
    expect(await storedEventIds(origin().eventStore, "deep-")).toEqual(["deep-good"]);
    const raw = await origin().rawStore.batchPayloads(body.batch_id);
    expect(JSON.stringify(raw[0]!.payload)).toContain(TRUNCATED_MARKER);

    // Alone, it is the whole batch's 422, never a 503.
    const alone = await sendBatch(origin().app, [], {
      rawBody: `[${deepJson(view("deep-alone"), "context", 5000)}]`,
    });
    expect(alone.status).toBe(422);
    expect(BatchResultBody.parse(await alone.json()).rejected[0]!.index).toBe(0);
    // Over NDJSON as well.
    const ndjson = await sendBatch(origin().app, [], {
      format: "ndjson",
      rawBody: `${deepJson(view("deep-nd"), "context", 5000)}\n${JSON.stringify(view("deep-nd-ok"))}\n`,
    });
    expect(ndjson.status).toBe(200);
    expect(BatchResultBody.parse(await ndjson.json()).rejected[0]).toMatchObject({ index: 0, line: 1 });
  });

  it("rejects a price of 1e308 and ratings of 1e308 and -5 per record", async () => {
    const item = (event_id: string, price: number) => ({
      event_id,
      type: "item",
      item_id: event_id,
      ts: T,
      source: "pos",
      price,
    });
    const rating = (event_id: string, value: number) => ({
      ...view(event_id),
      type: "rating",
      item_id: "r-i",
      value,
    });
    const records = [
      item("range-price-big", 1e308),
      item("range-price-ok", 25),
      rating("range-rating-big", 1e308),
      rating("range-rating-negative", -5),
      rating("range-rating-ok", 4),
    ];
    const body = BatchResultBody.parse(await (await sendBatch(origin().app, records)).json());
    expect(body.stored).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.error])).toEqual([
      [0, expect.stringMatching(/^price: price must be a finite number in \[0, 1000000000\]/)],
      [2, expect.stringMatching(/^value: a rating's value must be a finite number in \[0, 10\]/)],
      [3, expect.stringMatching(/^value: a rating's value must be a finite number in \[0, 10\]/)],
    ]);
    expect(await storedEventIds(origin().eventStore, "range-")).toEqual([
      "range-price-ok",
      "range-rating-ok",
    ]);
  });

  it("holds ratings and prices to the scale the origin is configured with", async () => {
    const app = createOriginApp({
      eventStore: origin().eventStore,
      rawStore: origin().rawStore,
      ingest: {
        apiKey: TEST_API_KEY,
        ...TEST_LIMITS,
        valueRanges: { ratingMin: 1, ratingMax: 100, priceMax: 50 },
      },
    });
    const rating = (event_id: string, value: number) => ({
      ...view(event_id),
      type: "rating",
      item_id: "s-i",
      value,
    });
    const item = {
      event_id: "scale-item",
      type: "item",
      item_id: "scale-item",
      ts: T,
      source: "pos",
      price: 60,
    };
    const body = BatchResultBody.parse(
      await (await sendBatch(app, [rating("scale-80", 80), rating("scale-0", 0), item])).json(),
    );
    expect(body.stored).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.error])).toEqual([
      [1, expect.stringMatching(/\[1, 100\]/)],
      [2, expect.stringMatching(/\[0, 50\]/)],
    ]);
  });

  it("rejects only the record the store refuses, and answers 200 rather than 503", async () => {
    const records = Array.from({ length: 9 }, (_, i) => view(`refused-${i}`));
    refuse.add("refused-5");
    try {
      const response = await sendBatch(origin().app, records);
      expect(response.status).toBe(200);
      const body = BatchResultBody.parse(await response.json());
      expect(body.stored).toBe(8);
      expect(body.rejected).toEqual([
        {
          index: 5,
          event_id: "refused-5",
          error: expect.stringMatching(/store refused the record: invalid input/),
        },
      ]);
      expect(await storedEventIds(origin().eventStore, "refused-")).toHaveLength(8);
      // Every record's raw copy is kept once, the refused one's too.
      expect(await rawCopies(origin(), "refused-")).toBe(9);
    } finally {
      refuse.clear();
    }
  });

  it("answers 503 with Retry-After only for an unreachable store, and the retry keeps one raw copy per record", async () => {
    const records = Array.from({ length: 4 }, (_, i) => view(`retry-${i}`));
    unreachable = true;
    try {
      const failed = await sendBatch(origin().app, records);
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("1");
      expect(ErrorBody.parse(await failed.json()).error.code).toBe("store_unavailable");
    } finally {
      unreachable = false;
    }
    expect(await rawCopies(origin(), "retry-")).toBe(0);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await sendBatch(origin().app, records)).status).toBe(200);
    }
    expect(await rawCopies(origin(), "retry-")).toBe(4);
  });

  it("isolates a record the real database refuses, when one gets past validation", async () => {
    // A schema that lets anything through stands in for rows validated by an older, looser contract:
    // PGlite's jsonb then refuses the lone surrogate itself (22P02), deterministically.
    const loose = z.custom<IngestRecord>(
      (value) => typeof value === "object",
    ) as unknown as IngestRecordSchema;
    const records = [
      { ...view("db-ok-1"), ts: T },
      { ...view("db-bad"), context: { note: "\ud800" } },
      { ...view("db-ok-2"), ts: T },
    ];
    const outcome = await ingestBatch(
      records.map((value) => ({ ok: true, value })),
      { eventStore: origin().eventStore, rawStore: origin().rawStore, recordSchema: loose },
      100,
    );
    expect("body" in outcome && outcome.status).toBe(200);
    const body = (outcome as { body: { stored: number; rejected: { index: number; error: string }[] } }).body;
    expect(body.stored).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, event_id: "db-bad", error: expect.stringMatching(/store refused/) },
    ]);
    expect(await storedEventIds(origin().eventStore, "db-")).toEqual(["db-ok-1", "db-ok-2"]);
  });
});

describe("dirty decisions and rewards at the origin", () => {
  const origin = suiteResource(startTestOrigin);

  it("stores the valid decision beside a decision with a lone surrogate and rejects only that one", async () => {
    const good = decision("lone-d-good");
    const bad = { ...decision("lone-d-bad"), user_id: "\ud800" };
    const badContext = { ...decision("lone-d-ctx"), context: { "k\udfff": 1 } };
    const deep = deepJson(decision("lone-d-deep"), "extra", 5000);
    const { status, body } = await post(
      origin(),
      "/v1/decisions/batch",
      `[${[good, bad, badContext].map((d) => JSON.stringify(d)).join(",")},${deep}]`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ stored: 1 });
    const rejected = body.rejected as { index: number; decision_id: string | null; error: string }[];
    expect(rejected.map((r) => [r.index, r.decision_id])).toEqual([
      [1, "lone-d-bad"],
      [2, "lone-d-ctx"],
      [3, "lone-d-deep"],
    ]);
    expect(rejected[0]!.error).toMatch(/unpaired surrogate/);
    expect(rejected[2]!.error).toMatch(/nested more than/);
    const open = (await origin().learningStore.openDecisions()).map((d) => d.decision_id);
    expect(open.filter((id) => id.startsWith("lone-d-"))).toEqual(["lone-d-good"]);
  });

  it("stores the valid reward beside a reward with a lone surrogate and rejects only that one", async () => {
    const good = reward("lone-r-decision", 1, { eventId: "lone-r-good" });
    const bad = { ...reward("lone-r-decision", 1), event_id: "lone-\udc00" };
    const { status, body } = await post(origin(), "/v1/rewards/batch", [good, bad]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ stored: 1 });
    const rejected = body.rejected as { index: number; error: string }[];
    expect(rejected.map((r) => r.index)).toEqual([1]);
    expect(rejected[0]!.error).toMatch(/^event_id: .*unpaired surrogate/);
  });
});
