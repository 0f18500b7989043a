/**
 * One feature record per user for the edge: the MF factors (tagged with the catalogue's model name and
 * version, so the edge never scores them against another training's items), the items it must not
 * recommend again (every one as the seen set, the most recent also as ids for an edge serving another
 * catalogue), and the behaviour vector when a behaviour model was trained. Users with none of
 * these get no record: the edge answers them as unknown users (cold start), which is what they are.
 */
import type { UserFeatures } from "../../../models/contracts/index.ts";
import type { CsrMatrix, MfModel } from "../recs/index.ts";
import type { InteractionLog } from "./read-interactions.ts";
import { type CatalogPositions, seenSet } from "./seen-set.ts";

export interface UserFeatureParts {
  log: Pick<InteractionLog, "users" | "items">;
  matrix: CsrMatrix;
  /** Each user's distinct items, most recent first (log item indices). */
  history: readonly Int32Array[];
  /** How many of the most recent the record also keeps as ids. */
  recentItems: number;
  catalog: CatalogPositions;
  mf: MfModel | null;
  embedding: { model: string; version: string };
  behaviour: { name: string; version: string; vectors: readonly (number[] | null)[] } | null;
  updatedAt: string;
}

export function buildUserFeatures(parts: UserFeatureParts): UserFeatures[] {
  const { log, matrix, mf, behaviour } = parts;
  const users: UserFeatures[] = [];
  for (let u = 0; u < log.users.length; u++) {
    const hasItems = matrix.offsets[u + 1]! > matrix.offsets[u]!;
    const vector = behaviour?.vectors[u] ?? null;
    if (!hasItems && vector === null) {
      continue;
    }
    const history = parts.history[u] ?? new Int32Array(0);
    const record: UserFeatures = {
      userId: log.users[u]!.userId,
      updatedAt: parts.updatedAt,
      vectors: {},
      producedFor: {},
      recentItems: Array.from(history.subarray(0, parts.recentItems), (i) => log.items[i]!.itemId),
    };
    if (history.length > 0) {
      record.seen = seenSet(history, parts.catalog);
    }
    const values = mf && hasItems ? mf.userFactors.subarray(u * mf.factors, (u + 1) * mf.factors) : null;
    // An all-zero vector (EASE, no head item in the history) scores every item 0: no embedding, so the
    // edge answers the user from popularity, as the offline evaluation does (served-scorer.ts).
    if (values?.some((v) => v !== 0)) {
      record.embedding = { ...parts.embedding, values: Array.from(values) };
    }
    if (behaviour && vector) {
      record.vectors[behaviour.name] = vector;
      record.producedFor[behaviour.name] = behaviour.version;
    }
    users.push(record);
  }
  return users;
}
