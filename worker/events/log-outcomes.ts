import { eventIdOf } from "../../models/contracts/index.ts";
import type { DeliveryOutcome } from "./origin-delivery.ts";

/** At most this many events are named per log line; the count is always complete. */
const namedPerLine = 20;

/**
 * One log line per kind of failure in a delivery, naming events by event_id: rejected events are
 * dropped for good and retried ones may be lost, so both must be visible in the Worker's logs.
 */
export function logOutcomes(
  label: string,
  events: readonly unknown[],
  outcomes: readonly DeliveryOutcome[],
  /** What happens to undelivered events: "retrying", or "lost" (logged as an error). */
  retryFate: string,
  /** Names a record in the log lines (decision and reward records have no event_id of their own). */
  idOf: (record: unknown) => string | null = eventIdOf,
): void {
  const rejected: string[] = [];
  const retried: string[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.kind !== "delivered") {
      (outcome.kind === "rejected" ? rejected : retried).push(
        `${idOf(events[index]) ?? "(no event_id)"}: ${outcome.reason}`,
      );
    }
  });
  if (rejected.length > 0) {
    console.warn(`${label}: the origin rejected ${rejected.length} event(s) for good: ${named(rejected)}`);
  }
  if (retried.length > 0) {
    const log = retryFate === "lost" ? console.error : console.warn;
    log(`${label}: ${retried.length} event(s) not delivered, ${retryFate}: ${named(retried)}`);
  }
}

function named(lines: readonly string[]): string {
  const more = lines.length - namedPerLine;
  return lines.slice(0, namedPerLine).join("; ") + (more > 0 ? `; and ${more} more` : "");
}
