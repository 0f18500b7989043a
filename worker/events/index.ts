/** The contract's eventIdOf, for naming events in delivery logs. */
export { eventIdOf } from "../../models/contracts/index.ts";
export { retryDelaySeconds } from "./backoff.ts";
export { type AcceptedEvent, eventList, type RejectedEvent, validateClientEvents } from "./client-events.ts";
export {
  countDelivery,
  type DeliveryCounts,
  type DeliveryStream,
  deliveryCounts,
} from "./delivery-counts.ts";
export { forwardDirect } from "./forward-direct.ts";
export { EVENTS_LIMITS, QUEUE_LIMITS } from "./limits.ts";
export { logOutcomes } from "./log-outcomes.ts";
export {
  type DeliveryOutcome,
  deliverToOrigin,
  missingOriginSettings,
  type OriginSettings,
  type OriginTarget,
  originTarget,
} from "./origin-delivery.ts";
export { type EventMessage, type PackedEvents, packSendBatches, queueBatches } from "./queue-batches.ts";
export { eventDefaults } from "./request-defaults.ts";
