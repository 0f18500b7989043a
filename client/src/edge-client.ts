import { requestJson, type Transport } from "./http.ts";
import { type ResolvedRetry, type RetryOptions, resolveRetry } from "./retry.ts";
import type {
  ClientEventInput,
  EventsResponse,
  HealthResponse,
  PredictRequest,
  PredictResponse,
  RankRequestInput,
  RankResult,
  RecommendationsQuery,
  RecommendationsResponse,
  RewardRequestInput,
  RewardResponse,
  ScoreQuery,
  ScoreResponse,
  SentimentResponse,
  SimilarItemsQuery,
  SimilarItemsResponse,
} from "./types.ts";

export interface EdgeClientOptions {
  /** The edge Worker's base URL, e.g. https://edge.example.com. */
  edgeUrl: string | URL;
  /** Sent as `Authorization: Bearer <key>`; leave out for an edge with REQUIRE_API_KEY=false. */
  apiKey?: string;
  retry?: RetryOptions;
  /** Defaults to the global fetch (browsers, Node 18+, Workers). */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Let the request outlive the page (a reward sent as the user follows a link); bodies up to 64 KiB. */
  keepalive?: boolean;
}

export interface EdgeClient {
  readonly edgeUrl: URL;
  /** Headers every edge call carries (the API key), for callers that send requests of their own. */
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: ResolvedRetry;
  health(options?: CallOptions): Promise<HealthResponse>;
  recommendations(query: RecommendationsQuery, options?: CallOptions): Promise<RecommendationsResponse>;
  similarItems(
    itemId: string,
    query?: SimilarItemsQuery,
    options?: CallOptions,
  ): Promise<SimilarItemsResponse>;
  analyzeSentiment(text: string, options?: CallOptions): Promise<SentimentResponse>;
  predict(request: PredictRequest, options?: CallOptions): Promise<PredictResponse>;
  score(query: ScoreQuery, options?: CallOptions): Promise<ScoreResponse>;
  /** Never retried: each call is a new decision, and a retry would log a second one. */
  rank(request: RankRequestInput, options?: CallOptions): Promise<RankResult>;
  /**
   * Retried, as (decision_id, event_id) is the reward's idempotency key: an event_id is generated when the
   * request has none, so a retry of a reward the edge did receive is stored once.
   */
  reward(request: RewardRequestInput, options?: CallOptions): Promise<RewardResponse>;
  /** Retried: every event carries an event_id, which the origin stores once. */
  sendEvents(events: readonly ClientEventInput[], options?: CallOptions): Promise<EventsResponse>;
}

/** A client for every route of the edge Worker. */
export function createEdgeClient(options: EdgeClientOptions): EdgeClient {
  const edgeUrl = new URL(options.edgeUrl);
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  // Bound lazily: a bare `fetch` called as a method of another object throws "Illegal invocation" in browsers.
  const transport: Transport = {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retry: resolveRetry(options.retry),
  };
  const url = (path: string, query: Record<string, string | undefined> = {}) => {
    const target = new URL(path, edgeUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        target.searchParams.set(name, value);
      }
    }
    return target.href;
  };
  const get = <T>(path: string, query: Record<string, string | undefined>, call: CallOptions = {}) =>
    requestJson<T>(transport, { method: "GET", url: url(path, query), headers, idempotent: true, ...call });
  const post = <T>(path: string, body: unknown, idempotent: boolean, call: CallOptions = {}) =>
    requestJson<T>(transport, { method: "POST", url: url(path), headers, body, idempotent, ...call });

  return {
    edgeUrl,
    headers,
    retry: transport.retry,
    health: (call) => get("/health", {}, call),
    recommendations: (q, call) =>
      get(
        "/recommendations",
        {
          user_id: q.user_id,
          surface: q.surface,
          k: numberParam(q.k),
          category: listParam(q.category),
          exclude_category: listParam(q.exclude_category),
          price_min: numberParam(q.price_min),
          price_max: numberParam(q.price_max),
          exclude: listParam(q.exclude),
          explain: q.explain === undefined ? undefined : q.explain ? "1" : "0",
        },
        call,
      ),
    similarItems: (itemId, q = {}, call) =>
      get(`/items/${encodeURIComponent(itemId)}/similar`, { k: numberParam(q.k), vectors: q.vectors }, call),
    // Reads with no side effect at the edge: as safe to send twice as a GET.
    analyzeSentiment: (text, call) => post("/analyze-sentiment", { text }, true, call),
    predict: (request, call) => post("/predict", request, true, call),
    score: (q, call) =>
      get(
        "/score",
        {
          model: q.model,
          user_id: q.user_id,
          features: q.features === undefined ? undefined : q.features.join(","),
        },
        call,
      ),
    rank: (request, call) => post("/rank", request, false, call),
    reward: (request, call) =>
      post("/reward", { ...request, event_id: request.event_id ?? crypto.randomUUID() }, true, call),
    sendEvents: (events, call) => post("/events", events, true, call),
  };
}

function numberParam(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function listParam(values: readonly string[] | undefined): string | undefined {
  return values === undefined ? undefined : values.join(",");
}
