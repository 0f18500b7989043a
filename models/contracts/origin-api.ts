/**
 * The origin's batch endpoints, relative to its base URL: the edge builds its delivery URLs from these
 * and the origin serves them, so a path is written once.
 */
export const ORIGIN_BATCH_PATHS = {
  event: "/v1/events/batch",
  decision: "/v1/decisions/batch",
  reward: "/v1/rewards/batch",
} as const;
export type OriginBatchKind = keyof typeof ORIGIN_BATCH_PATHS;

/** `path` under `baseUrl`, keeping any path prefix the base has (`https://host/edgewise` + `/v1/…`). */
export function originEndpoint(baseUrl: string, kind: OriginBatchKind): string {
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return new URL(ORIGIN_BATCH_PATHS[kind].slice(1), base).href;
}

/**
 * The header that carries a request's id: the edge sends the id of the request whose records it
 * forwards (events, decisions, rewards), and the origin logs it as that request's `req_id` and echoes
 * it, so one id follows a record from the edge's log line to the origin's.
 */
export const REQUEST_ID_HEADER = "x-request-id";
