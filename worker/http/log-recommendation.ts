import type { Context } from "hono";
import { DecisionRecord } from "../../models/contracts/index.ts";
import { notShippable, shipLearningLogs } from "../learning/learning-log.ts";
import type { EdgeContext } from "./edge-context.ts";
import { learningShipOptions } from "./learning-ship-options.ts";

/**
 * Logs a GET /recommendations decision after the answer, when this edge ships learning logs (an edge that
 * serves recommendations only need not). The record is checked against the contract first: a catalogue
 * item id the contract refuses (too long, control characters) must not make the origin reject the batch.
 */
export function logRecommendation(c: Context<EdgeContext>, record: DecisionRecord | null): void {
  if (record === null) {
    return;
  }
  const ship = learningShipOptions(c);
  if (notShippable(ship) !== null) {
    return;
  }
  const checked = DecisionRecord.safeParse(record);
  if (!checked.success) {
    console.warn(`decision ${record.decision_id} not logged: ${checked.error.issues[0]?.message}`);
    return;
  }
  c.executionCtx.waitUntil(
    shipLearningLogs([{ log: "decision", record: checked.data }], ship).catch((error: unknown) =>
      console.error(
        `decision ${record.decision_id} not logged: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ),
  );
}
