/**
 * Ids this store has seen committed in `users` or `items`. Neither table ever loses a row, so an id known
 * once stays known: a batch then probes the tables only for the ids it has not met before, instead of once
 * per staged row (in a bulk load, nearly every row names a user and an item already there). Bounded: past
 * `limit` ids it starts over, which costs nothing but the probes it saved.
 */
export interface KnownIds {
  /** Adds `id` to `into` unless it is known (so `into` collects a batch's unknown ids, each once). */
  collectUnknown(id: string, into: Set<string>): void;
  /** Called once the ids are committed: only then are they known. */
  remember(ids: Iterable<string>): void;
}

export function knownIds(limit = 500_000): KnownIds {
  let known = new Set<string>();
  return {
    collectUnknown(id, into) {
      if (!known.has(id)) {
        into.add(id);
      }
    },
    remember(ids) {
      for (const id of ids) {
        if (known.size >= limit) {
          known = new Set();
        }
        known.add(id);
      }
    },
  };
}
