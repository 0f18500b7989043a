/**
 * The decision engine: for one request, orchestrate the models into k items.
 *
 *   1. business rules  → category ids, price bounds and excluded item indices (the user's
 *                        seen set decoded straight into them)                  candidate-rules.ts, seen-items.ts
 *   2. candidates      → top-n by the MF score from the candidate generator (the kernel's IVF
 *                        probe or exact scan, rules applied inside), or the cold-start strategy
 *                        (popular | trending) when the user has no usable embedding          candidate-pool.ts
 *   3. fallback        → top up with popular items so a short generator never shrinks the answer
 *   4. re-ranking      → weighted sum of model score, popularity, sentiment                  rerank.ts
 *   5. diversity       → MMR over item vectors                                               mmr.ts
 *
 * Nothing here touches workerd or Node: the catalogue, features and candidate generator arrive in the
 * context. Every step costs work bounded by the surface (candidates, k) and what the request names, never
 * by the catalogue. Missing pieces degrade the answer (and say so in `degraded_causes`) instead of failing
 * it; the answer is empty only when no item is eligible, and `empty_reason` then says why.
 */
import type { Catalog, ItemVectors } from "../../models/catalog/index.ts";
import type { SurfaceConfig } from "../../models/contracts/index.ts";
import type { SearchRules } from "../../wasm/catalog-kernel.ts";
import { addRanked, type CandidatePool, createPool } from "./candidate-pool.ts";
import { candidateRules, excludingAlso, mergeFilters } from "./candidate-rules.ts";
import { clampK } from "./clamp-k.ts";
import { decidedItems } from "./decided-items.ts";
import { selectDiverse } from "./mmr.ts";
import { scoreRelevance } from "./rerank.ts";
import { NOTHING_SEEN, seenItems } from "./seen-items.ts";
import type {
  CandidateGenerator,
  Decision,
  DecisionContext,
  DecisionRequest,
  DegradedCause,
  DegradedCode,
  EmptyCode,
} from "./types.ts";

const label = (table: { model: string; version: string }) => `${table.model}@${table.version}`;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Collects what went missing, and the versions of what was used, while a decision is made. */
class DecisionLog {
  readonly causes: DegradedCause[] = [];
  readonly versions: Record<string, string> = {};
  degrade(code: DegradedCode, message: string): void {
    this.causes.push({ code, message });
  }
  used(table: { model: string; version: string }): void {
    this.versions[table.model] = table.version;
  }
}

/** The user's embedding if it can be scored against this catalogue; otherwise null, degraded if it should have. */
function usableEmbedding(context: DecisionContext, catalog: Catalog, log: DecisionLog): Float32Array | null {
  const embedding = context.user?.embedding;
  if (embedding === undefined) {
    return null;
  }
  const table = catalog.embedding;
  if (table === null) {
    log.degrade("item_embeddings_missing", "the catalogue has no item embeddings to score the user against");
    return null;
  }
  if (embedding.model !== table.model || embedding.version !== table.version) {
    log.degrade(
      "user_embedding_stale",
      `the user's embedding is from ${label(embedding)}, the catalogue's items from ${label(table)}`,
    );
    return null;
  }
  if (embedding.values.length !== table.dim) {
    log.degrade(
      "user_embedding_dim_mismatch",
      `the user's embedding has ${embedding.values.length} values, the item embeddings ${table.dim}`,
    );
    return null;
  }
  return Float32Array.from(embedding.values);
}

/** Step 2 for a user with an embedding: top-n eligible items by the MF score. */
async function addPersonal(
  context: DecisionContext,
  catalog: Catalog,
  rules: SearchRules,
  pool: CandidatePool,
  log: DecisionLog,
): Promise<void> {
  const query = usableEmbedding(context, catalog, log);
  if (query === null || catalog.embedding === null) {
    return;
  }
  if (context.candidates === null) {
    log.degrade("scorer_unavailable", "no candidate generator is loaded");
    return;
  }
  try {
    const ranked = await context.candidates.personal(query, context.surface.candidates, rules);
    addRanked(pool, catalog, ranked, "model", rules);
    log.used(catalog.embedding);
  } catch (error) {
    log.degrade("scorer_failed", `the candidate generator failed: ${describe(error)}`);
  }
}

function diversityVectors(catalog: Catalog, surface: SurfaceConfig, log: DecisionLog): ItemVectors | null {
  if (surface.diversity.lambda >= 1) {
    return null;
  }
  const vectors = surface.diversity.vectors === "content" ? catalog.content : catalog.embedding;
  if (vectors === null) {
    log.degrade(
      "diversity_vectors_missing",
      `the catalogue has no ${surface.diversity.vectors} vectors for MMR`,
    );
    return null;
  }
  log.used(vectors);
  return vectors;
}

/** Why nothing is eligible: asked only when the answer is empty, with one bounded cold-start search. */
function emptyReason(
  catalog: Catalog,
  candidates: CandidateGenerator,
  rules: SearchRules,
): { code: EmptyCode; message: string } {
  if (catalog.items === 0) {
    return { code: "catalog_empty", message: "the catalogue holds no items" };
  }
  if (candidates.ranked("popular", 1, { ...rules, excluded: new Uint32Array(0) }).indices.length === 0) {
    return { code: "no_item_matches_filters", message: `none of ${catalog.items} items passes the filters` };
  }
  return {
    code: "every_item_excluded",
    message: "every item that passes the filters is seen or explicitly excluded",
  };
}

export async function decide(request: DecisionRequest, context: DecisionContext): Promise<Decision> {
  const { catalog, surface, candidates } = context;
  const decisionId = context.newDecisionId?.() ?? crypto.randomUUID();
  const log = new DecisionLog();
  const answer = (fields: Pick<Decision, "items" | "cold_start" | "empty_reason">): Decision => ({
    decision_id: decisionId,
    surface: surface.name,
    ...fields,
    degraded: log.causes.length > 0,
    degraded_causes: log.causes,
    model_versions: log.versions,
  });
  if (catalog === null || candidates === null) {
    const message = "no item catalogue is loaded";
    log.degrade("catalog_unavailable", message);
    return answer({ items: [], cold_start: false, empty_reason: { code: "catalog_unavailable", message } });
  }
  log.versions.catalog = catalog.header.version;

  const k = clampK(surface, request.k);
  const seen = surface.excludeSeen ? seenItems(context.user, catalog) : NOTHING_SEEN;
  if (seen.problem !== null) {
    log.degrade(seen.problem.code, seen.problem.message);
  }
  const rules = candidateRules(catalog, mergeFilters(surface.filters, request.filters), seen.indices, [
    ...seen.ids,
    ...(request.excludeItems ?? []),
  ]);

  const pool = createPool(surface.candidates + k);
  await addPersonal(context, catalog, rules, pool, log);
  const coldStart = pool.count === 0;
  if (coldStart) {
    addRanked(
      pool,
      catalog,
      candidates.ranked(surface.coldStart, surface.candidates, rules),
      surface.coldStart,
      rules,
    );
  }
  if (pool.count < k) {
    // A generator that returned too few (a failing or partial one) never shrinks the answer while
    // eligible items remain: the most popular ones it lacks fill it up.
    const rest = excludingAlso(rules, pool.items.subarray(0, pool.count));
    addRanked(pool, catalog, candidates.ranked("popular", k - pool.count, rest), "popular_fallback", rest);
  }
  if (pool.count === 0) {
    return answer({ items: [], cold_start: false, empty_reason: emptyReason(catalog, candidates, rules) });
  }

  const relevance = scoreRelevance(pool, catalog, surface.weights, surface.sentimentPriorReviews);
  const vectors = diversityVectors(catalog, surface, log);
  const selection = selectDiverse(pool, relevance.relevance, k, surface.diversity.lambda, vectors);
  const items = decidedItems(catalog, pool, relevance, selection, request.explain === true, {
    embeddingModel: catalog.embedding ? label(catalog.embedding) : undefined,
    diversity: vectors !== null,
  });
  return answer({ items, cold_start: coldStart, empty_reason: null });
}
