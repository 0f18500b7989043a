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
