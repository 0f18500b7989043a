/**
 * Request and response types of the edge's routes and the origin's ingestion. Every body a route parses
 * with a shared zod contract takes its type from that contract (`z.input` for what a caller sends,
 * `z.infer` for what comes back), imported as types only so no schema reaches the bundle. The edge's
 * query strings and its answers other than POST /rank's are not zod schemas the routes export, so their
 * types are written here from worker/routes/*; test/e2e/client/edge-client.test.ts checks them against
 * the real Worker. The origin's ingestion answer is written out too (importing the origin's schema would
 * make the published declarations need @hono/zod-openapi); test/client/contract-types.test.ts checks at
 * compile time that it is exactly the origin's BatchResultBody.
 */
import type { z } from "zod";
import type {
  IngestRecord,
  IngestRecordInput,
  RankRequestInput,
  RankResponse,
  RewardRequestInput,
} from "../../models/contracts/index.ts";

export type { IngestRecord, IngestRecordInput, RankRequestInput, RewardRequestInput };

/** One event or record as a client sends it (ts as epoch ms or ISO-8601), from the shared contract. */
export type EventInput = IngestRecordInput;
/** An interaction event without the fields the edge fills in (source defaults to web/edge there). */
export type ClientEventInput = OmitEach<Extract<IngestRecordInput, { type: InteractionType }>, "source"> & {
  source?: string;
};
/** Omit over each member of a union (Omit alone merges a union into the keys its members share). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type InteractionType = "view" | "click" | "add_to_cart" | "purchase" | "rating" | "review";

/** Every error the edge answers: a stable code for programs, a message for people. */
export interface EdgeErrorBody {
  error: { code: string; message: string };
}

export interface DegradedCause {
  code: string;
  message: string;
}

export interface HealthResponse {
  status: "ok";
  runtime: {
    onnxruntimeWeb: string;
    backend: string;
    threads: number;
    kernels: { int8TopKInstances: number };
  };
  manifest: { version: number; publishedAt: string } | null;
  models: Array<{ name: string; version: string; kind: string; quantization: string; loaded: boolean }>;
  sessions: { created: number; attempts: number; cached: number };
  catalog: { loadedVersion: string | null };
  features: { kvReads: number };
  delivery: Record<string, Record<string, number>>;
}

/** GET /recommendations (worker/routes/recommendations.ts's RecommendationsQuery). */
export interface RecommendationsQuery {
  user_id: string;
  /** "home" when absent. */
  surface?: string;
  k?: number;
  category?: readonly string[];
  exclude_category?: readonly string[];
  price_min?: number;
  price_max?: number;
  /** Items never to return (the product on its page, the cart's content). */
  exclude?: readonly string[];
  explain?: boolean;
}

export interface RecommendationReason {
  term: string;
  value: number;
  contribution: number;
  model?: string;
}

export interface RecommendedItem {
  item_id: string;
  score: number;
  source: "model" | "popular" | "trending" | "popular_fallback";
  reasons?: RecommendationReason[];
}

/** worker/decision's Decision plus what the route adds. */
export interface RecommendationsResponse {
  user_id: string;
  /** Send it back with POST /reward when the user acts on one of `items`. */
  decision_id: string;
  surface: string;
  items: RecommendedItem[];
  /** Per item: P(it in its slot | the slots above). */
  propensities: number[];
  cold_start: boolean;
  degraded: boolean;
  degraded_causes: DegradedCause[];
  empty_reason: { code: string; message: string } | null;
  model_versions: Record<string, string>;
  experiment: { id: string; arm: string } | null;
}

export interface SimilarItemsQuery {
  k?: number;
  vectors?: "embedding" | "content";
}

export interface SimilarItemsResponse {
  item_id: string;
  items: Array<{ item_id: string; score: number }>;
  degraded: boolean;
  degraded_causes?: DegradedCause[];
  model_versions?: Record<string, string>;
}

export interface SentimentResponse {
  label: "positive" | "negative" | "neutral";
  score: number;
  model: string;
  version: string;
  degraded: boolean;
  degraded_causes?: DegradedCause[];
}

/** POST /predict: exactly one of user_id, features or vector. */
export type PredictRequest = { model?: string } & (
  | { user_id: string; features?: never; vector?: never }
  | { features: Record<string, string | number | boolean | null>; user_id?: never; vector?: never }
  | { vector: readonly number[]; user_id?: never; features?: never }
);

export interface PredictResponse {
  model: string;
  /** null when no model of that name is published (a degraded answer). */
  version: string | null;
  user_id?: string;
  score: number | null;
  degraded: boolean;
  degraded_causes?: DegradedCause[];
}

/** GET /score: exactly one of user_id or features. */
export type ScoreQuery = { model: string } & (
  | { user_id: string; features?: never }
  | { features: readonly number[]; user_id?: never }
);

export interface ScoreResponse {
  model: string;
  version: string;
  user_id?: string;
  output: string;
  scores: number[];
}

/** POST /rank's answer: the shared RankResponse contract plus the edge's cold-start and degraded flags. */
export type RankResult = z.infer<typeof RankResponse> & {
  cold_start: boolean;
  degraded: boolean;
  degraded_causes: DegradedCause[];
};

export interface RewardResponse {
  accepted: true;
  decision_id: string;
  event_id: string;
  forwarding: string;
}

export interface EventsResponse {
  accepted: number;
  rejected: Array<{ index: number; message: string }>;
  forwarding: "queue" | "direct";
}

/** POST /v1/events/batch's answer: the origin's BatchResultBody (its OpenAPI document's BatchResult). */
export interface IngestBatchResponse {
  batch_id: string;
  received: number;
  /** Records written by this request. */
  stored: number;
  /** Records whose event_id was already stored, or repeated earlier in this batch. */
  duplicates: Array<{ index: number; event_id: string }>;
  /** Records that failed validation; the others were stored. */
  rejected: Array<{ index: number; event_id: string | null; line?: number | undefined; error: string }>;
  message: string;
}
