/**
 * The one order in which training lays out users and items: by id (compareIds). The trainers' seeded
 * steps (the tuning split, the user sample, the factors' initial values) follow row and column indices, so
 * the same interactions must get the same indices whether they come from the event store (whose users and
 * items are numbered as stored) or from a file (first appearance): then `edgewise eval recs` and the
 * pipeline fit the same model.
 */
import { compareIds } from "../../../models/compare-ids.ts";

/** `ids` sorted by compareIds, and where each id went: `position[old index]` = new index. */
export function idOrder(ids: readonly string[]): { ids: string[]; position: Int32Array } {
  const order = Array.from(ids.keys()).sort((x, y) => compareIds(ids[x]!, ids[y]!));
  const position = new Int32Array(ids.length);
  order.forEach((old, next) => {
    position[old] = next;
  });
  return { ids: order.map((old) => ids[old]!), position };
}
