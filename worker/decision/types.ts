/**
 * What the decision engine takes and returns. The engine is pure: everything it needs arrives in the
 * request (what the caller asked for) and the context (what the edge has loaded), and its two model calls
 * are injected functions, so Node tests and workerd run the same code.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { SurfaceConfig, UserFeatures } from "../../models/contracts/index.ts";
import type { SearchRules } from "../../wasm/catalog-kernel.ts";
import type { TopKResult } from "../../wasm/int8-topk.ts";

/** Per-request business rules; each given value replaces the surface's, except exclusions, which add up. */
export interface RequestFilters {
  includeCategories?: readonly string[];
  excludeCategories?: readonly string[];
  priceMin?: number;
  priceMax?: number;
}

/** What the caller asked for, on top of the surface's configuration. */
export interface DecisionRequest {
  /** Clamped to [1, surface.k.max]; the surface's default when absent. */
  k?: number;
  filters?: RequestFilters;
  /** Items never to return whatever the surface says (the product on its own page, the cart's content). */
  excludeItems?: readonly string[];
  /** Attach each item's reasons (contribution of every re-ranking term). */
  explain?: boolean;
}

/**
 * Candidate generation behind one interface (ARCHITECTURE.md): the in-isolate kernel over the catalogue in
 * wasm memory (scorers.ts, the edge's default) or a Vectorize index for catalogues past one isolate's
 * memory (worker/runtime/vectorize-candidates.ts). Both take the rules; a backend that cannot apply all of
 * them may return other items, which the engine drops (candidate-rules.ts isEligible).
 */
export interface CandidateGenerator {
  /** The best n items for a user embedding (floats) by the model's score, best first. */
  personal(query: Float32Array, n: number, rules: SearchRules): TopKResult | Promise<TopKResult>;
  /** The n items with the best popularity or trending score, best first (the cold-start candidates). */
  ranked(strategy: "popular" | "trending", n: number, rules: SearchRules): TopKResult;
}

/** What the edge has loaded for this request. */
export interface DecisionContext {
  /** null when no catalogue could be read: the answer is then empty and degraded. */
  catalog: Catalog | null;
  /** null for a user the edge has no features for (not an error: cold start). */
  user: UserFeatures | null;
  surface: SurfaceConfig;
  /** The catalogue's candidates (cold start included); null when no kernel could hold the catalogue. */
  candidates: CandidateGenerator | null;
  /** Pins decision ids in tests; crypto.randomUUID by default. */
  newDecisionId?: () => string;
}

/** Where a returned item came from. */
export type CandidateSource = "model" | "popular" | "trending" | "popular_fallback";

/** A term of an item's score; `contribution`s of an item's reasons sum to its score. */
export interface Reason {
  term: CandidateSource | "popularity" | "sentiment" | "mmr_penalty";
  /** The term's input: a normalised score, a probability, or (for mmr_penalty) the largest cosine similarity. */
  value: number;
  contribution: number;
  /** `name@version` of the model behind the term, when one is. */
  model?: string;
}

export interface DecidedItem {
  item_id: string;
  score: number;
  source: CandidateSource;
  reasons?: Reason[];
}

export type DegradedCode =
  | "catalog_unavailable"
  | "item_embeddings_missing"
  | "user_embedding_stale"
  | "user_embedding_dim_mismatch"
  | "scorer_unavailable"
  | "scorer_failed"
  | "diversity_vectors_missing"
  | "seen_set_stale"
  | "seen_set_invalid";

export interface DegradedCause {
  code: DegradedCode;
  message: string;
}

export type EmptyCode =
  | "catalog_unavailable"
  | "catalog_empty"
  | "no_item_matches_filters"
  | "every_item_excluded";

export interface Decision {
  decision_id: string;
  surface: string;
  items: DecidedItem[];
  /** The items come from the cold-start strategy (popular or trending), not from the user's embedding. */
  cold_start: boolean;
  /** Something the answer should have used was missing or failed; `degraded_causes` says what. */
  degraded: boolean;
  degraded_causes: DegradedCause[];
  /** Why `items` is empty; null whenever it is not. */
  empty_reason: { code: EmptyCode; message: string } | null;
  /** Name → version of every model and artifact that shaped this answer. */
  model_versions: Record<string, string>;
}
