import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchResultBody, ErrorBody, listen } from "../../../../origin/server/index.ts";
import {
  sendBatch,
  startTestOrigin,
  TEST_API_KEY,
  TEST_LIMITS,
  type TestOrigin,
} from "../../support/origin-app.ts";
import { recordGenerator } from "../../support/records.ts";
import { storedEventIds } from "../../support/stored-event-ids.ts";

describe("POST /v1/events/batch and the origin's other routes", () => {
  let origin: TestOrigin;
  let failNextInsert = false;
  beforeAll(async () => {
    origin = await startTestOrigin((store) => ({
      ...store,
      async insertBatch(records, alsoWrite) {
        if (failNextInsert) {
          failNextInsert = false;
          throw new Error("connection reset");
        }
        return store.insertBatch(records, alsoWrite);
      },
    }));
  });
  afterAll(async () => {
    await origin?.close();
  });

  it("answers /health with the store backends", async () => {
    const response = await origin.app.request("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      event_store: "pglite",
      raw_store: "postgres-jsonb",
    });
  });

  it("serves an OpenAPI 3.1 document of its routes", async () => {
    const doc = (await (await origin.app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/v1/events/batch"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/health"]!)).toEqual(["get"]);
  });

  it("refuses a batch without the ingestion key or with a wrong one, and accepts either header", async () => {
    const next = recordGenerator({ seed: 30, prefix: "auth-" });
    const records = [next()];
    for (const headers of [{ authorization: "" }, { authorization: "Bearer wrong-key-wrong-key" }]) {
      const response = await sendBatch(origin.app, records, { headers });
      expect(response.status).toBe(401);
      expect(ErrorBody.parse(await response.json()).error.message).toMatch(/key/);
    }
    expect(await storedEventIds(origin.eventStore, "auth-")).toEqual([]);
    const viaHeader = await sendBatch(origin.app, records, {
      headers: { authorization: "", "x-api-key": TEST_API_KEY },
    });
    expect(viaHeader.status).toBe(200);
  });

  it("stores the valid records of a JSON batch, reporting bad ones by index and duplicates by id", async () => {
    const next = recordGenerator({ seed: 31, prefix: "json-" });
    const [a, b, c] = [next(), next(), next()];
    const bad = { ...next(), ts: "last tuesday" };
    const response = await sendBatch(origin.app, [a, bad, b, a, 17, c]);
    expect(response.status).toBe(200);
    const body = BatchResultBody.parse(await response.json());
    expect(body.received).toBe(6);
    expect(body.stored).toBe(3);
    expect(body.duplicates).toEqual([{ index: 3, event_id: a.event_id }]);
    expect(body.rejected.map((r) => [r.index, r.event_id])).toEqual([
      [1, bad.event_id],
      [4, null],
    ]);
    expect(body.rejected[0]!.error).toMatch(/^ts: /);
    expect(body.message).toBe("stored 3 of 6 records; 1 duplicate; 2 rejected");
    expect(await storedEventIds(origin.eventStore, "json-")).toEqual(
      [a.event_id, b.event_id, c.event_id].sort(),
    );

    const retry = BatchResultBody.parse(await (await sendBatch(origin.app, [c, a])).json());
    expect(retry.stored).toBe(0);
    expect(retry.duplicates.map((d) => d.index)).toEqual([0, 1]);
  });

  it("reads NDJSON, skipping blank lines and reporting a line that is not JSON by index and line", async () => {
    const next = recordGenerator({ seed: 32, prefix: "nd-" });
    const [a, b] = [next(), next()];
    const rawBody = `${JSON.stringify(a)}\n\n{"event_id": "nd-broken", \n${JSON.stringify(b)}\n`;
    const response = await sendBatch(origin.app, [], { format: "ndjson", rawBody });
    expect(response.status).toBe(200);
    const body = BatchResultBody.parse(await response.json());
    expect(body.stored).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 1, line: 3, event_id: null });
    expect(await storedEventIds(origin.eventStore, "nd-")).toEqual([a.event_id, b.event_id].sort());
  });

  it("accepts gzip bodies and refuses corrupt gzip (400) and a gzip bomb (413)", async () => {
    const next = recordGenerator({ seed: 33, prefix: "gz-" });
    const records = Array.from({ length: 50 }, next);
    const ok = await sendBatch(origin.app, records, { format: "ndjson", gzip: true });
    expect(ok.status).toBe(200);
    expect(BatchResultBody.parse(await ok.json()).stored).toBe(50);

    const corrupt = gzipSync(JSON.stringify(records)).subarray(0, 200);
    const bad = await sendBatch(origin.app, [], {
      rawBody: corrupt,
      headers: { "content-encoding": "gzip" },
    });
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(await bad.json()).error.message).toMatch(/gzip/);

    // 64 MiB of spaces compress to about 64 KiB, under the body limit; inflating stops at the cap.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, " "));
    expect(bomb.byteLength).toBeLessThan(TEST_LIMITS.maxBodyBytes);
    const refused = await sendBatch(origin.app, [], {
      rawBody: bomb,
      headers: { "content-encoding": "gzip" },
    });
    expect(refused.status).toBe(413);
    expect(ErrorBody.parse(await refused.json()).error.code).toBe("body_too_large");
  });

  it("refuses bodies over the size limit and batches over the record limit, storing nothing", async () => {
    const next = recordGenerator({ seed: 34, prefix: "big-" });
    const tooMany = Array.from({ length: TEST_LIMITS.maxEventsPerBatch + 1 }, next);
    const response = await sendBatch(origin.app, tooMany);
    expect(response.status).toBe(413);
    expect(ErrorBody.parse(await response.json()).error.code).toBe("too_many_events");

    const huge = `[${JSON.stringify({ ...next(), pad: "x".repeat(TEST_LIMITS.maxBodyBytes) })}]`;
    const tooLarge = await sendBatch(origin.app, [], { rawBody: huge });
    expect(tooLarge.status).toBe(413);
    // Without Content-Length, the limit is enforced while streaming.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const streamed = await origin.app.request("/v1/events/batch", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await storedEventIds(origin.eventStore, "big-")).toEqual([]);
  });

  it("refuses unparseable batches whole with a 400 that says why", async () => {
    const cases: [string, RegExp][] = [
      ["[{", /not valid JSON/],
      ['{"event_id":"x"}', /must be an array/],
      ["[]", /no records/],
    ];
    for (const [rawBody, message] of cases) {
      const response = await sendBatch(origin.app, [], { rawBody });
      expect(response.status).toBe(400);
      expect(ErrorBody.parse(await response.json()).error.message).toMatch(message);
    }
    const garbage = await sendBatch(origin.app, [], { format: "ndjson", rawBody: "nope\n{bad\n" });
    expect(garbage.status).toBe(400);
    const notUtf8 = await sendBatch(origin.app, [], { rawBody: new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]) });
    expect(notUtf8.status).toBe(400);
  });

  it("refuses unsupported media types and encodings with 415", async () => {
    const variants: Record<string, string>[] = [
      { "content-type": "text/plain" },
      { "content-encoding": "br" },
    ];
    for (const headers of variants) {
      const response = await sendBatch(origin.app, [], { rawBody: "[]", headers });
      expect(response.status).toBe(415);
      expect(ErrorBody.parse(await response.json()).error.message.length).toBeGreaterThan(0);
    }
  });

  it("answers 422 when every record is invalid", async () => {
    const response = await sendBatch(origin.app, [{ type: "view" }, null]);
    expect(response.status).toBe(422);
    const body = BatchResultBody.parse(await response.json());
    expect(body.stored).toBe(0);
    expect(body.rejected.map((r) => r.index)).toEqual([0, 1]);
  });

  it("creates unknown users and items on first sight and keeps raw payloads and item documents", async () => {
    const records = [
      {
        event_id: "fs-1",
        type: "click",
        user_id: "fs-user",
        item_id: "fs-item",
        ts: 1_700_000_000_000,
        source: "web",
      },
      {
        event_id: "fs-2",
        type: "item",
        item_id: "fs-item-2",
        ts: "2024-03-01T10:00:00Z",
        source: "pos",
        title: "Kettle",
        price: 25,
        attributes: { colour: "red" },
      },
      { event_id: "fs-3", type: "view", user_id: 7, ts: 1_700_000_000_000, source: "web" },
    ];
    const body = BatchResultBody.parse(await (await sendBatch(origin.app, records)).json());
    expect(body.stored).toBe(2);
    const users = (await origin.eventStore.listUsers()).map((u) => u.userId);
    const items = (await origin.eventStore.listItems()).map((i) => i.itemId);
    expect(users).toContain("fs-user");
    expect(items).toEqual(expect.arrayContaining(["fs-item", "fs-item-2"]));
    const raw = await origin.rawStore.batchPayloads(body.batch_id);
    expect(raw.map((p) => [p.position, p.eventId, p.accepted])).toEqual([
      [0, "fs-1", true],
      [1, "fs-2", true],
      [2, "fs-3", false],
    ]);
    expect(raw[2]!.payload).toEqual(records[2]);
    const document = await origin.rawStore.latestItemDocument("fs-item-2");
    expect(document).toMatchObject({
      eventId: "fs-2",
      tsMs: Date.parse("2024-03-01T10:00:00Z"),
      document: { title: "Kettle", price: 25, attributes: { colour: "red" }, source: "pos" },
    });
  });

  it("answers 503 with Retry-After when the store fails, and the same batch then succeeds", async () => {
    const next = recordGenerator({ seed: 35, prefix: "fail-" });
    const records = Array.from({ length: 5 }, next);
    failNextInsert = true;
    const failed = await sendBatch(origin.app, records);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("1");
    expect(ErrorBody.parse(await failed.json()).error.message).toMatch(/send it again/);
    const retried = BatchResultBody.parse(await (await sendBatch(origin.app, records)).json());
    expect(retried.stored).toBe(5);
  });

  it("serves over HTTP with @hono/node-server, gzip NDJSON included", async () => {
    const server = await listen(origin.app, { port: 0, host: "127.0.0.1" });
    try {
      const next = recordGenerator({ seed: 36, prefix: "net-" });
      const records = Array.from({ length: 20 }, next);
      const response = await fetch(`${server.url}/v1/events/batch`, {
        method: "POST",
        headers: {
          "content-type": "application/x-ndjson",
          "content-encoding": "gzip",
          authorization: `Bearer ${TEST_API_KEY}`,
        },
        body: gzipSync(records.map((r) => JSON.stringify(r)).join("\n")),
      });
      expect(response.status).toBe(200);
      expect(BatchResultBody.parse(await response.json()).stored).toBe(20);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
