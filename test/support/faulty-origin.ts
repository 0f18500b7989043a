/**
 * The real origin app (in-memory PGlite) served over HTTP on 127.0.0.1, behind a fault injector: a
 * test decides, per ingestion request, whether the origin answers, fails before storing, or stores and
 * then fails (a lost answer). Every request that reaches the endpoint is recorded with its event ids.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { LearningStore } from "../../origin/learning/index.ts";
import type { SqlClient, StoredEvent } from "../../origin/store/index.ts";
import { startTestOrigin, TEST_API_KEY, type TestOrigin } from "../origin/support/origin-app.ts";

export { TEST_API_KEY as ORIGIN_TEST_KEY };

export interface IngestRequest {
  eventIds: string[];
  authorization: string | null;
  /** The status the edge received. */
  status: number;
}

/**
 * What the injector does with one request: `pass` lets the origin answer; a number answers with that
 * status without storing; `{ storeThen }` stores the batch and answers that status instead.
 */
export type Fault = "pass" | number | { storeThen: number };

export interface FaultyOrigin {
  ingestUrl: string;
  /** The learning loop's store behind /v1/decisions/batch and /v1/rewards/batch (not fault-injected). */
  learningStore: LearningStore;
  sql: SqlClient;
  requests: IngestRequest[];
  /** Decides each ingestion request's fate; "pass" unless a test sets it. */
  fault: (eventIds: readonly string[], seen: number) => Fault;
  /** The stored events whose event_id starts with prefix. */
  stored(prefix: string): Promise<StoredEvent[]>;
  /** Ingestion requests so far that carried an event whose event_id starts with prefix. */
  requestsFor(prefix: string): IngestRequest[];
  close(): Promise<void>;
}

export async function startFaultyOrigin(): Promise<FaultyOrigin> {
  const origin: TestOrigin = await startTestOrigin();
  const requests: IngestRequest[] = [];
  const state: FaultyOrigin = {
    ingestUrl: "",
    learningStore: origin.learningStore,
    sql: origin.sql,
    requests,
    fault: () => "pass",
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
      if (new URL(request.url).pathname !== "/v1/events/batch") {
        return origin.app.fetch(request);
      }
      const body = await request.text();
      const eventIds = idsOf(body);
      const seen = requests.filter((r) => r.eventIds.some((id) => eventIds.includes(id))).length;
      const fault = state.fault(eventIds, seen);
      let response: Response;
      if (typeof fault === "number") {
        response = Response.json({ error: "injected", message: `injected ${fault}` }, { status: fault });
      } else {
        response = await origin.app.fetch(
          new Request(request.url, { method: "POST", headers: request.headers, body }),
        );
        if (fault !== "pass") {
          response = Response.json(
            { error: "injected", message: "stored, then failed" },
            { status: fault.storeThen },
          );
        }
      }
      requests.push({
        eventIds,
        authorization: request.headers.get("authorization"),
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
