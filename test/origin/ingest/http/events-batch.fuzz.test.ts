/**
 * Property-based fuzzing of POST /v1/events/batch over the real origin app and store (in-memory PGlite):
 * mixed batches of valid, hostile-but-valid, certainly invalid and ambiguous records (lone surrogates,
 * NUL, nesting thousands deep, 1e308 and 1e999, prototype names as ids and keys), resends and repeats,
 * as JSON or NDJSON, plain or gzip; then whole bodies that are junk. The generator's labels predict each
 * answer and the store's final content; after it all, a training run over that store must succeed.
 */
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCatalog } from "../../../../models/catalog/index.ts";
import type { IngestRecord, IngestRecordInput } from "../../../../models/contracts/index.ts";
import { generateTasteClusterData } from "../../../../origin/dev/sample-data/index.ts";
import type { StoredEvent } from "../../../../origin/ingest/store/index.ts";
import { BatchResultBody, ErrorBody } from "../../../../origin/server/index.ts";
import { runTrainingPipeline } from "../../../../origin/train/index.ts";
import {
  deepValue,
  FUZZ_RUNS,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  jsonText,
  junkValue,
  urlJunk,
} from "../../../support/fuzz-arbitraries.ts";
import {
  ambiguousRecord,
  EVENT_ID_PLACEHOLDER,
  FUZZ_END_MS,
  type FuzzRecord,
  invalidRecord,
  validEntry,
} from "../../../support/fuzz-records.ts";
import { startTestOrigin, TEST_API_KEY, TEST_LIMITS, type TestOrigin } from "../../support/origin-app.ts";
import { expectedStoredEvent } from "../store/event-store.conformance.ts";

type Slot =
  | FuzzRecord
  /** A record stored by an earlier request, sent again (as is, or with other content under its id). */
  | { kind: "resend"; pick: number; changed: boolean }
  /** A valid record earlier in this batch, repeated. */
  | { kind: "repeat"; pick: number; changed: boolean };

const slot: fc.Arbitrary<Slot> = fc.oneof(
  { weight: 5, arbitrary: validEntry },
  { weight: 3, arbitrary: invalidRecord },
  { weight: 1, arbitrary: ambiguousRecord },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("resend" as const), pick: fc.nat(), changed: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("repeat" as const), pick: fc.nat(), changed: fc.boolean() }),
  },
);

const batch = fc.record({
  slots: fc.array(slot, { minLength: 1, maxLength: 10 }),
  format: fc.constantFrom("json" as const, "ndjson" as const),
  gzip: fc.boolean(),
  /** Invalid records reuse an id already stored: validation comes before deduplication. */
  reuseStoredIds: fc.boolean(),
});

/** One record as sent, with what the store must do with it. */
type Sent =
  | { kind: "valid" | "ambiguous"; value: unknown; input: IngestRecordInput }
  | { kind: "invalid"; value: unknown };

function expectedFromInput(input: IngestRecordInput): Omit<StoredEvent, "seq"> {
  const tsMs = typeof input.ts === "number" ? input.ts : Date.parse(input.ts);
  return expectedStoredEvent({ ...input, ts: tsMs } as IngestRecord);
}

function hasPlaceholderId(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as { event_id?: unknown }).event_id === EVENT_ID_PLACEHOLDER
  );
}

function post(origin: TestOrigin, body: string | Uint8Array, headers: Record<string, string>) {
  return origin.app.request("/v1/events/batch", {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_API_KEY}`, ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

describe("POST /v1/events/batch under property-based fuzzing", { timeout: FUZZ_TEST_TIMEOUT_MS }, () => {
  let origin: TestOrigin;
  /** What the store must hold per fuzzed event_id: the first accepted content. */
  const expected = new Map<string, IngestRecordInput>();
  const storedInputs: IngestRecordInput[] = [];
  let nextId = 0;

  beforeAll(async () => {
    origin = await startTestOrigin();
    // A shop to train on, sent through the endpoint; the fuzzed records land among it.
    const shop = generateTasteClusterData({ endMs: FUZZ_END_MS, users: 120, items: 80, seed: 5 });
    for (let i = 0; i < shop.records.length; i += TEST_LIMITS.maxEventsPerBatch) {
      const chunk = shop.records.slice(i, i + TEST_LIMITS.maxEventsPerBatch);
      const response = await post(origin, JSON.stringify(chunk), { "content-type": "application/json" });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await origin?.close();
  });

  /** The batch as sent: real ids in place of placeholders, resends and repeats resolved. */
  function assemble(slots: readonly Slot[], reuseStoredIds: boolean): Sent[] {
    const sent: Sent[] = [];
    for (const s of slots) {
      if (s.kind === "resend" || s.kind === "repeat") {
        const pool =
          s.kind === "resend" ? storedInputs : sent.flatMap((e) => (e.kind === "valid" ? [e.input] : []));
        const earlier = pool[s.pick % Math.max(pool.length, 1)];
        if (earlier !== undefined) {
          const input = s.changed ? { ...earlier, source: "resent" } : earlier;
          sent.push({ kind: "valid", value: input, input });
        }
        continue;
      }
      const id = `fz-${nextId++}`;
      const withId = (value: unknown) =>
        hasPlaceholderId(value) ? { ...(value as object), event_id: id } : value;
      if (s.kind === "invalid") {
        // Only a record whose id the breaker left alone may take a stored one: its fault lies elsewhere.
        const idIntact = hasPlaceholderId(s.value);
        const reused =
          reuseStoredIds && idIntact
            ? storedInputs[nextId % Math.max(storedInputs.length, 1)]?.event_id
            : undefined;
        const value = withId(s.value);
        sent.push({
          kind: "invalid",
          value: reused === undefined ? value : { ...(value as object), event_id: reused },
        });
      } else {
        sent.push({ kind: s.kind, value: withId(s.value), input: withId(s.input) as IngestRecordInput });
      }
    }
    return sent;
  }

  it(`stores each valid record of ${FUZZ_RUNS} mixed batches exactly once and rejects each invalid one by index`, async () => {
    await fc.assert(
      fc.asyncProperty(batch, async ({ slots, format, gzip, reuseStoredIds }) => {
        const sent = assemble(slots, reuseStoredIds);
        if (sent.length === 0) {
          return;
        }
        let body: string | Uint8Array =
          format === "json"
            ? `[${sent.map((e) => jsonText(e.value)).join(",")}]`
            : sent.map((e) => jsonText(e.value)).join("\n");
        const headers: Record<string, string> = {
          "content-type": format === "json" ? "application/json" : "application/x-ndjson",
        };
        if (gzip) {
          body = gzipSync(body);
          headers["content-encoding"] = "gzip";
        }
        const response = await post(origin, body, headers);
        const json: unknown = await response.json();
        expect(response.status, JSON.stringify(json)).toBeLessThan(500);
        const result = BatchResultBody.parse(json);
        expect(result.message.length).toBeGreaterThan(0);
        expect(result.received).toBe(sent.length);

        const rejected = new Set(result.rejected.map((r) => r.index));
        expect(result.rejected.every((r) => r.error.length > 0)).toBe(true);
        const seen = new Set<string>();
        const duplicates: number[] = [];
        let stored = 0;
        sent.forEach((entry, index) => {
          if (entry.kind === "invalid") {
            expect(
              rejected.has(index),
              `record ${index} must be rejected: ${jsonText(entry.value).slice(0, 200)}`,
            ).toBe(true);
            return;
          }
          if (entry.kind === "valid") {
            expect(
              rejected.has(index),
              `record ${index} is valid: ${result.rejected.find((r) => r.index === index)?.error}`,
            ).toBe(false);
          } else if (rejected.has(index)) {
            return;
          }
          const id = entry.input.event_id;
          if (seen.has(id) || expected.has(id)) {
            duplicates.push(index);
          } else {
            stored++;
            expected.set(id, entry.input);
            storedInputs.push(entry.input);
          }
          seen.add(id);
        });
        expect(result.duplicates.map((d) => d.index)).toEqual(duplicates);
        expect(result.stored).toBe(stored);
        expect(response.status).toBe(rejected.size === sent.length ? 422 : 200);
      }),
      fuzzParameters("POST /v1/events/batch mixed batches"),
    );
  });

  it("holds exactly the first accepted content of every fuzzed event id, and nothing else under the prefix", async () => {
    const stored = new Map<string, Omit<StoredEvent, "seq">[]>();
    for await (const page of origin.eventStore.streamEvents({ batchSize: 1000 })) {
      for (const { seq, ...event } of page) {
        if (event.eventId.startsWith("fz-") || expected.has(event.eventId)) {
          stored.set(event.eventId, [...(stored.get(event.eventId) ?? []), event]);
        }
      }
    }
    const copies = [...stored.values()].filter((events) => events.length !== 1);
    expect(copies).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, input] of expected) {
      expect(stored.get(id)![0], id).toEqual(expectedFromInput(input));
    }
  });

  it(`answers ${FUZZ_RUNS} junk bodies, headers and queries with a 4xx and a message`, async () => {
    const request = fc.oneof(
      fc.record({
        body: fc.oneof(
          fc.constantFrom(
            "",
            "   ",
            "\n\n",
            "[",
            "{}",
            "null",
            "[]",
            '{"events":[]}',
            "\u0000\u0001",
            "\ufeff[]",
          ),
          junkValue.map(jsonText),
          deepValue.map(jsonText),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constant(`[${"0,".repeat(TEST_LIMITS.maxEventsPerBatch)}0]`),
          fc.constant(`["${"p".repeat(TEST_LIMITS.maxBodyBytes)}"]`),
        ),
        contentType: fc.constantFrom(
          "application/json",
          "application/x-ndjson",
          "application/json; charset=utf-16",
          "text/plain",
          "",
          "multipart/form-data; boundary=x",
          "application/__proto__",
        ),
        encoding: fc.constantFrom(undefined, "gzip", "br", "deflate", "gzip, gzip", "constructor"),
        gzipBody: fc.boolean(),
        auth: fc.constantFrom("good", "none", "wrong", "basic", "__proto__"),
        query: urlJunk,
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ body, contentType, encoding, gzipBody, auth, query }) => {
        const headers: Record<string, string> = {};
        if (contentType !== "") {
          headers["content-type"] = contentType;
        }
        if (encoding !== undefined) {
          headers["content-encoding"] = encoding;
        }
        headers.authorization =
          auth === "good"
            ? `Bearer ${TEST_API_KEY}`
            : auth === "wrong"
              ? "Bearer nope"
              : auth === "basic"
                ? "Basic dTpw"
                : auth;
        if (auth === "none") {
          delete headers.authorization;
        }
        const payload = gzipBody ? new Uint8Array(gzipSync(body)) : body;
        const response = await origin.app.request(`/v1/events/batch?${query}`, {
          method: "POST",
          headers,
          body: payload,
        });
        const json: unknown = await response.json();
        expect(response.status, JSON.stringify(json)).toBeLessThan(500);
        expect(response.status).toBeGreaterThanOrEqual(200);
        // An error, or (for junk that is an array of junk records) a batch result reporting each one.
        const message =
          response.status === 422 ? BatchResultBody.parse(json).message : ErrorBody.parse(json).error.message;
        expect(message.length).toBeGreaterThan(0);
      }),
      fuzzParameters("POST /v1/events/batch junk bodies"),
    );
  });

  it("trains a release over the store after the fuzzed ingest, with a catalogue the edge can decode", async () => {
    const release = await runTrainingPipeline({
      eventStore: origin.eventStore,
      now: new Date(FUZZ_END_MS + 3_600_000),
      options: { runId: "fuzz-run" },
    });
    const catalog = release.artifacts.find((artifact) => artifact.name === "catalog")!;
    const decoded = decodeCatalog(catalog.bytes);
    expect(decoded.items).toBeGreaterThan(0);
    expect(release.users.length).toBeGreaterThan(0);
  });
});
