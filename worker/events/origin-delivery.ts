/**
 * Posts events to the origin's ingestion endpoint (POST /v1/events/batch, a JSON array of records,
 * idempotent by event_id) and says, for each event, what became of it: delivered (stored, or already
 * stored), rejected for good, or to be tried again. Both forwarding paths (the queue consumer and the
 * direct waitUntil post) act on these outcomes.
 */
import { z } from "zod";
import { originEndpoint, REQUEST_ID_HEADER } from "../../models/contracts/index.ts";

export interface OriginTarget {
  url: string;
  key: string;
}

export type DeliveryOutcome =
  | { kind: "delivered" }
  | { kind: "rejected"; reason: string }
  | { kind: "retry"; reason: string; retryAfterSeconds?: number };

export interface DeliveryOptions {
  /** Abandon an origin request after this long (and try again later). */
  timeoutMs: number;
  /** The edge request (or queue batch) these records came from, for the origin's log line. */
  requestId?: string;
}

/**
 * Where the edge reaches the origin. (Typed structurally so that Node tests can import this module
 * without workerd's types.)
 */
export interface OriginSettings {
  /** The origin's base URL; its batch endpoints are ORIGIN_BATCH_PATHS under it. */
  ORIGIN_URL: string;
  /** Deprecated: the events endpoint's full URL, used only while ORIGIN_URL is empty. */
  ORIGIN_INGEST_URL: string;
  ORIGIN_INGEST_KEY: string;
}

/** The settings a delivery needs that are empty. */
export function missingOriginSettings(settings: OriginSettings): string[] {
  return [
    ...(settings.ORIGIN_URL === "" && settings.ORIGIN_INGEST_URL === ""
      ? ["ORIGIN_URL (or the deprecated ORIGIN_INGEST_URL)"]
      : []),
    ...(settings.ORIGIN_INGEST_KEY === "" ? ["ORIGIN_INGEST_KEY"] : []),
  ];
}

/** The origin's events endpoint from the Worker's settings, or the names of the settings that are missing. */
export function originTarget(settings: OriginSettings): OriginTarget | { missing: string[] } {
  const missing = missingOriginSettings(settings);
  if (missing.length > 0) {
    return { missing };
  }
  const url =
    settings.ORIGIN_URL === "" ? settings.ORIGIN_INGEST_URL : originEndpoint(settings.ORIGIN_URL, "event");
  return { url, key: settings.ORIGIN_INGEST_KEY };
}

/**
 * Client errors that a later attempt can fix without changing the batch: a wrong key or URL (401, 403,
 * 404: the edge is misconfigured and will work once fixed), a timeout and throttling. Every other 4xx
 * says the batch itself is unacceptable (malformed, too large, wrong media type, every record invalid):
 * sending it again cannot help, so its records are dropped for good. 5xx and network errors are retried;
 * the queue's max_retries bounds the retries, and its dead-letter queue keeps what is left.
 */
const RETRIED_CLIENT_ERRORS = new Set([401, 403, 404, 408, 425, 429]);

function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && !RETRIED_CLIENT_ERRORS.has(status);
}

/** What the origin answers: a BatchResult (2xx, 422) or an error. Only what the edge acts on is read. */
const OriginReply = z.looseObject({
  rejected: z.array(z.looseObject({ index: z.number().int(), error: z.string() })).optional(),
  /** A BatchResult's summary. */
  message: z.string().optional(),
  /** An error answer's reason (models/contracts/api-error.ts). */
  error: z.looseObject({ message: z.string() }).optional().catch(undefined),
});

export async function deliverToOrigin(
  events: readonly unknown[],
  target: OriginTarget,
  options: DeliveryOptions,
): Promise<DeliveryOutcome[]> {
  let response: Response;
  let reply: z.infer<typeof OriginReply>;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${target.key}`,
        ...(options.requestId === undefined ? {} : { [REQUEST_ID_HEADER]: options.requestId }),
      },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const parsed = OriginReply.safeParse(await response.json().catch(() => ({})));
    reply = parsed.success ? parsed.data : {};
  } catch (error) {
    const reason = `the origin did not answer: ${error instanceof Error ? error.message : String(error)}`;
    return events.map(() => ({ kind: "retry", reason }));
  }

  const status = response.status;
  if (status === 413 && events.length > 1) {
    // The origin's batch limit is below this batch: halve it until each half fits.
    const half = Math.ceil(events.length / 2);
    const first = await deliverToOrigin(events.slice(0, half), target, options);
    const second = await deliverToOrigin(events.slice(half), target, options);
    return [...first, ...second];
  }
  const reason = reply.error?.message ?? reply.message;
  const summary = `origin answered ${status}${reason ? `: ${reason}` : ""}`;
  if (response.ok || isPermanent(status)) {
    const refused = new Map((reply.rejected ?? []).map((entry) => [entry.index, entry.error]));
    return events.map((_, index): DeliveryOutcome => {
      const reason = refused.get(index);
      if (reason !== undefined) {
        return { kind: "rejected", reason };
      }
      return response.ok ? { kind: "delivered" } : { kind: "rejected", reason: summary };
    });
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  return events.map(() => ({
    kind: "retry",
    reason: summary,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  }));
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === "") {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, Math.ceil(seconds));
  }
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}
