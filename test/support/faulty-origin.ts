/**
 * The real origin app (in-memory PGlite) served over HTTP on 127.0.0.1, behind a fault injector: a
 * test decides, per ingestion request, whether the origin answers, fails before storing, or stores and
 * then fails (a lost answer), or spoils chosen records so that the real origin rejects them on their
 * own. Every request that reaches the endpoint is recorded with its event ids; requests to the decision
 * and reward endpoints are recorded with their record ids too.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { SqlClient, StoredEvent } from "../../origin/ingest/store/index.ts";
import type { LearningStore } from "../../origin/learn/index.ts";
import { startTestOrigin, TEST_API_KEY, type TestOrigin } from "../origin/support/origin-app.ts";

export { TEST_API_KEY as ORIGIN_TEST_KEY };

export interface IngestRequest {
  eventIds: string[];
  authorization: string | null;
  /** The X-Request-Id the edge sent: the id of the request whose events these are. */
  requestId: string | null;
  /** The status the edge received. */
  status: number;
}

/** A request to /v1/decisions/batch or /v1/rewards/batch, as it reached the origin. */
export interface LearningRequest {
  path: string;
  /** decision_id of each record (with `/event_id` for rewards). */
  ids: string[];
  status: number;
}

/**
 * What the injector does with one request: `pass` lets the origin answer; a number answers with that
 * status without storing; `{ storeThen }` stores the batch and answers that status instead; `{ spoil }`
 * replaces the `ts` of the events with these ids by a value the contract refuses before the origin
 * sees the batch, so the origin itself rejects them by index and stores the rest.
 */
export type Fault = "pass" | number | { storeThen: number } | { spoil: readonly string[] };

export interface FaultyOrigin {
  ingestUrl: string;
  /** The learning loop's store behind /v1/decisions/batch and /v1/rewards/batch (not fault-injected). */
  learningStore: LearningStore;
  sql: SqlClient;
  requests: IngestRequest[];
  learningRequests: LearningRequest[];
  /** Decides each ingestion request's fate; "pass" unless a test sets it. */
  fault: (eventIds: readonly string[], seen: number) => Fault;
  /** Decides each decision or reward request's fate: "pass", or a status answered without storing. */
  learningFault: (path: string, seen: number) => "pass" | number;
  /** The stored events whose event_id starts with prefix. */
  stored(prefix: string): Promise<StoredEvent[]>;
  /** Ingestion requests so far that carried an event whose event_id starts with prefix. */
  requestsFor(prefix: string): IngestRequest[];
  close(): Promise<void>;
}

export async function startFaultyOrigin(): Promise<FaultyOrigin> {
  const origin: TestOrigin = await startTestOrigin();
  const requests: IngestRequest[] = [];
  const learningRequests: LearningRequest[] = [];
  const state: FaultyOrigin = {
    ingestUrl: "",
    learningStore: origin.learningStore,
    sql: origin.sql,
    requests,
    learningRequests,
    fault: () => "pass",
    learningFault: () => "pass",
    async stored(prefix) {
      const found: StoredEvent[] = [];
      for await (const page of origin.eventStore.streamEvents()) {
        found.push(...page.filter((event) => event.eventId.startsWith(prefix)));
      }
      return found;
    },
    requestsFor: (prefix) =>
      requests.filter((request) => request.eventIds.some((id) => id.startsWith(prefix))),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await origin.close();
    },
  };

  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/v1/decisions/batch" || path === "/v1/rewards/batch") {
        const body = await request.text();
        const fault = state.learningFault(path, learningRequests.filter((r) => r.path === path).length);
        const response =
          fault === "pass"
            ? await origin.app.fetch(
                new Request(request.url, { method: "POST", headers: request.headers, body }),
              )
            : Response.json({ error: { code: "injected", message: `injected ${fault}` } }, { status: fault });
        learningRequests.push({ path, ids: learningIdsOf(body), status: response.status });
        return response;
      }
      if (path !== "/v1/events/batch") {
        return origin.app.fetch(request);
      }
      let body = await request.text();
      const eventIds = idsOf(body);
      const seen = requests.filter((r) => r.eventIds.some((id) => eventIds.includes(id))).length;
      const fault = state.fault(eventIds, seen);
      let response: Response;
      if (typeof fault === "number") {
        response = Response.json(
          { error: { code: "injected", message: `injected ${fault}` } },
          { status: fault },
        );
      } else {
        if (typeof fault === "object" && "spoil" in fault) {
          body = spoiled(body, fault.spoil);
        }
        response = await origin.app.fetch(
          new Request(request.url, { method: "POST", headers: request.headers, body }),
        );
        if (typeof fault === "object" && "storeThen" in fault) {
          response = Response.json(
            { error: { code: "injected", message: "stored, then failed" } },
            { status: fault.storeThen },
          );
        }
      }
      requests.push({
        eventIds,
        authorization: request.headers.get("authorization"),
        requestId: request.headers.get("x-request-id"),
        status: response.status,
      });
      return response;
    },
  });
  if (!server.listening) {
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  }
  const { port } = server.address() as AddressInfo;
  state.ingestUrl = `http://127.0.0.1:${port}/v1/events/batch`;
  return state;
}

function idsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    return Array.isArray(parsed)
      ? parsed.map((event) => String((event as { event_id?: unknown } | null)?.event_id ?? ""))
      : [];
  } catch {
    return [];
  }
}

function learningIdsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    return Array.isArray(parsed)
      ? parsed.map((record) => {
          const r = (record ?? {}) as { decision_id?: unknown; event_id?: unknown };
          return r.event_id === undefined
            ? String(r.decision_id)
            : `${String(r.decision_id)}/${String(r.event_id)}`;
        })
      : [];
  } catch {
    return [];
  }
}

function spoiled(body: string, ids: readonly string[]): string {
  const events = JSON.parse(body) as Array<{ event_id?: unknown }>;
  return JSON.stringify(
    events.map((event) =>
      ids.includes(String(event.event_id)) ? { ...event, ts: "not a time the contract accepts" } : event,
    ),
  );
}
