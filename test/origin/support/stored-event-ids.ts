import type { EventStore } from "../../../origin/ingest/store/index.ts";

/** The ids of the events `store` holds that start with `prefix` (all of them by default), sorted. */
export async function storedEventIds(store: EventStore, prefix = ""): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of store.streamEvents()) {
    ids.push(...batch.filter((e) => e.eventId.startsWith(prefix)).map((e) => e.eventId));
  }
  return ids.sort();
}
