/**
 * Fuzz-style test of the ingestion endpoint: seeded random batches mixing valid records with malformed
 * bodies, wrongly typed and oversized records, duplicates and reordered resends, in JSON, NDJSON and gzip.
 * The generator knows which records it broke; from that alone it predicts every response and the final
 * store contents (each valid event id exactly once, its first valid content), and both must match.
 */
import { describe, expect, it } from "vitest";
import type { IngestRecord, IngestRecordInput } from "../../../../models/contracts/index.ts";
import { mulberry32, type Rng } from "../../../../models/random.ts";
import type { StoredEvent } from "../../../../origin/ingest/store/index.ts";
import { BatchResultBody, ErrorBody } from "../../../../origin/server/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { sendBatch, startTestOrigin, TEST_LIMITS } from "../../support/origin-app.ts";
import { recordGenerator } from "../../support/records.ts";
import { expectedStoredEvent } from "../store/event-store.conformance.ts";

type Entry = { value: unknown; valid: true; input: IngestRecordInput } | { value: unknown; valid: false };

/** Ways to break a valid record, each certainly invalid under the contract. */
const BREAKERS: ((record: Record<string, unknown>, rng: Rng) => unknown)[] = [
  ({ event_id, ...rest }) => rest,
  (r) => ({ ...r, event_id: 42 }),
  (r) => ({ ...r, event_id: "" }),
  (r) => ({ ...r, event_id: "x".repeat(129) }),
  (r) => ({ ...r, type: "teleport" }),
  (r) => ({ ...r, ts: "yesterday" }),
  (r) => ({ ...r, ts: 1_260_759_144 }),
  (r) => ({ ...r, ts: 9e15 }),
  (r) => ({ ...r, source: "Web Shop" }),
  (r) => ({ ...r, source: undefined }),
  (r) => (r.type === "item" ? { ...r, item_id: { id: 1 } } : { ...r, user_id: ["u"] }),
  (r) => (r.type === "item" ? { ...r, price: -1 } : { ...r, user_id: "tab\tinside" }),
  (r) =>
    r.type === "item"
      ? { ...r, title: "t".repeat(513) }
      : r.type === "user"
        ? { ...r, attributes: "plain" }
        : { ...r, value: "5" },
  (r) => ({ ...r, type: "review", user_id: r.user_id ?? "u", item_id: "i", text: "r".repeat(10_001) }),
  (r) => ({ ...r, type: "rating", user_id: r.user_id ?? "u", item_id: "i", value: undefined }),
  (r) => ({ ...r, type: "view", user_id: "u", context: { surface: "s".repeat(65) } }),
  (r) => ({ ...r, type: "user", user_id: "u", attributes: { $where: 1 } }),
  (_record, rng) => [null, 7, "record", [], true][Math.floor(rng() * 5)],
];

function shuffle<T>(rng: Rng, values: T[]): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/** The stored form the test expects, computed from the generated input without the code under test. */
function expectedFromInput(input: IngestRecordInput): Omit<StoredEvent, "seq"> {
  const tsMs = typeof input.ts === "number" ? input.ts : Date.parse(input.ts);
  return expectedStoredEvent({ ...input, ts: tsMs } as IngestRecord);
}

describe("ingestion endpoint under fuzzed batches", () => {
  const origin = suiteResource(startTestOrigin);

  it("answers every batch with a 2xx/4xx and a message, storing each valid event exactly once", async () => {
    const rng = mulberry32(20_261_127);
    const next = recordGenerator({ seed: 99, prefix: "fz-", users: 15, items: 25, entityShare: 0.15 });
    /** First valid content per event id: what the store must end up holding. */
    const expected = new Map<string, IngestRecordInput>();
    const sentValid: IngestRecordInput[] = [];
    const statuses = new Map<number, number>();

    for (let round = 0; round < 120; round++) {
      const kind = rng();
      const format = rng() < 0.5 ? "json" : "ndjson";
      const gzip = rng() < 0.3;

      if (kind < 0.12) {
        // Bodies that cannot be parsed at all, or exceed a limit: refused whole.
        const choice = Math.floor(rng() * 6);
        const valid = Array.from({ length: 3 }, next);
        const cases: [Parameters<typeof sendBatch>[2], number][] = [
          [{ rawBody: JSON.stringify(valid).slice(0, -7), format: "json" }, 400],
          [{ rawBody: JSON.stringify({ events: valid }), format: "json" }, 400],
          [{ rawBody: "\u0000\u0001garbage\n}{\n", format: "ndjson" }, 400],
          [{ rawBody: "   ", format }, 400],
          [{ rawBody: JSON.stringify(Array.from({ length: TEST_LIMITS.maxEventsPerBatch + 1 }, next)) }, 413],
          [
            { rawBody: JSON.stringify([{ ...valid[0], pad: "p".repeat(TEST_LIMITS.maxDecompressedBytes) }]) },
            413,
          ],
        ];
        const [options, status] = cases[choice]!;
        const response = await sendBatch(origin().app, [], { ...options, gzip });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBe(status);
        expect(ErrorBody.parse(await response.json()).error.message.length).toBeGreaterThan(0);
        continue;
      }

      // A batch of records: fresh valid ones, broken ones, and resends of earlier valid ones (possibly with
      // other content under the same id), in random order.
      const size = 1 + Math.floor(rng() * 40);
      const allBroken = kind < 0.2;
      const entries: Entry[] = [];
      for (let i = 0; i < size; i++) {
        const roll = allBroken ? 1 : rng();
        if (roll < 0.5 || sentValid.length === 0) {
          const input = next();
          entries.push({ value: input, valid: true, input });
        } else if (roll < 0.75) {
          const earlier = sentValid[Math.floor(rng() * sentValid.length)]!;
          const resend = rng() < 0.5 ? earlier : { ...earlier, source: "resent" };
          entries.push({ value: resend, valid: true, input: resend });
        } else {
          const breaker = BREAKERS[Math.floor(rng() * BREAKERS.length)]!;
          // Half the broken records reuse an id already stored: validation comes before deduplication.
          const base = next() as Record<string, unknown>;
          if (rng() < 0.5 && sentValid.length > 0) {
            base.event_id = sentValid[Math.floor(rng() * sentValid.length)]!.event_id;
          }
          entries.push({ value: breaker(base, rng), valid: false });
        }
      }
      if (rng() < 0.3) {
        // Duplicates inside the batch.
        entries.push(...entries.slice(0, Math.ceil(entries.length / 3)));
      }
      shuffle(rng, entries);

      // What the server must answer, predicted from the generator's knowledge.
      const seenInBatch = new Set<string>();
      const predictedDuplicates: number[] = [];
      const predictedRejected: number[] = [];
      let predictedStored = 0;
      entries.forEach((entry, index) => {
        if (!entry.valid) {
          predictedRejected.push(index);
          return;
        }
        const id = entry.input.event_id;
        if (seenInBatch.has(id) || expected.has(id)) {
          predictedDuplicates.push(index);
        } else {
          predictedStored++;
        }
        seenInBatch.add(id);
      });

      let rawBody: string | undefined;
      if (format === "ndjson" && rng() < 0.3) {
        // Blank lines between records are allowed and do not count as records.
        rawBody = entries.map((entry) => JSON.stringify(entry.value)).join("\n\n");
      }
      const response = await sendBatch(
        origin().app,
        entries.map((entry) => entry.value),
        { format, gzip, ...(rawBody === undefined ? {} : { rawBody }) },
      );
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const allInvalid = entries.every((entry) => !entry.valid);
      expect(response.status).toBe(allInvalid ? 422 : 200);
      const body = BatchResultBody.parse(await response.json());
      expect(body.message.length).toBeGreaterThan(0);
      expect(body.received).toBe(entries.length);
      expect(body.stored).toBe(predictedStored);
      expect(body.duplicates.map((d) => d.index)).toEqual(predictedDuplicates);
      expect(body.rejected.map((r) => r.index)).toEqual(predictedRejected);
      expect(body.rejected.every((r) => r.error.length > 0)).toBe(true);

      for (const entry of entries) {
        if (entry.valid && !expected.has(entry.input.event_id)) {
          expected.set(entry.input.event_id, entry.input);
          sentValid.push(entry.input);
        }
      }
    }

    // Every kind of answer was exercised.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 413, 422]);

    const stored: Omit<StoredEvent, "seq">[] = [];
    for await (const batch of origin().eventStore.streamEvents({ batchSize: 500 })) {
      stored.push(...batch.map(({ seq, ...rest }) => rest));
    }
    const byId = (a: { eventId: string }, b: { eventId: string }) => (a.eventId < b.eventId ? -1 : 1);
    expect(stored.length).toBe(expected.size);
    expect(stored.sort(byId)).toEqual([...expected.values()].map(expectedFromInput).sort(byId));
  });
});
