import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPgliteEventStore } from "../../../../origin/ingest/store/index.ts";
import { generateRecords } from "../../support/records.ts";
import { expectedStoredEvent } from "./event-store.conformance.ts";

describe("PGlite persisted to a directory", () => {
  it("keeps events across close and reopen, creating missing parent directories", async () => {
    const root = await mkdtemp(join(tmpdir(), "edgewise-pglite-"));
    const dataDir = join(root, "nested", "db");
    try {
      const records = generateRecords({ seed: 11, prefix: "p-" }, 50);
      const first = await createPgliteEventStore({ dataDir });
      await first.migrate();
      await first.insertBatch(records);
      await first.close();

      const second = await createPgliteEventStore({ dataDir });
      await second.migrate();
      const stored = [];
      for await (const batch of second.streamEvents()) {
        stored.push(...batch.map(({ seq, ...rest }) => rest));
      }
      expect(stored).toHaveLength(50);
      expect(stored.sort((a, b) => (a.eventId < b.eventId ? -1 : 1))).toEqual(
        records.map(expectedStoredEvent).sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
      );
      expect((await second.insertBatch(records)).storedCount).toBe(0);
      await second.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
