/**
 * The decision engine: for one request, orchestrate the models into k items.
 *
 *   1. business rules  → an eligibility mask (filters, seen items, explicit exclusions)     eligibility.ts
 *   2. candidates      → top-n by the MF score through the injected scorer, or the cold-start
 *                        strategy (popular | trending) when the user has no usable embedding  candidate-pool.ts
 *   3. fallback        → top up with popular items so a short generator never shrinks the answer
 *   4. re-ranking      → weighted sum of model score, popularity, sentiment, behaviour       rerank.ts
 *   5. diversity       → MMR over item vectors                                               mmr.ts
 *
 * Nothing here touches workerd or Node: the catalogue, features and model calls arrive in the context.
 * Missing pieces degrade the answer (and say so in `degraded_causes`) instead of failing it; the answer is
 * empty only when no item is eligible, and `empty_reason` then says why.
 */
import type { Catalog, ItemVectors } from "../../models/catalog/index.ts";
import type { SurfaceConfig } from "../../models/contracts/index.ts";
import { quantizeUserVector } from "../../wasm/quantize-user-vector.ts";
import {
  addColdStart,
  addRanked,
  type CandidatePool,
  createPool,
  fillWithPopular,
} from "./candidate-pool.ts";
import { clampK } from "./clamp-k.ts";
import { decidedItems } from "./decided-items.ts";
import { buildEligibility, type Eligibility, mergeFilters } from "./eligibility.ts";
import { selectDiverse } from "./mmr.ts";
import { scoreRelevance } from "./rerank.ts";
import type {
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
  eligibility: Eligibility,
  pool: CandidatePool,
  log: DecisionLog,
): Promise<void> {
  const query = usableEmbedding(context, catalog, log);
  if (query === null || catalog.embedding === null) {
    return;
  }
  if (context.scorer === null) {
    log.degrade("scorer_unavailable", "no candidate scorer is loaded");
    return;
  }
  try {
    const user = quantizeUserVector(query);
    const ranked = await context.scorer(
      user.values,
      user.scale,
      context.surface.candidates,
      eligibility.excluded,
    );
    addRanked(pool, ranked, "model", eligibility.mask);
    log.used(catalog.embedding);
  } catch (error) {
    log.degrade("scorer_failed", `the candidate scorer failed: ${describe(error)}`);
  }
}

async function behaviourScores(
  context: DecisionContext,
  pool: CandidatePool,
  log: DecisionLog,
): Promise<Float32Array | null> {
  const behaviour = context.behaviour;
  if (context.surface.weights.behaviour === 0) {
    return null;
  }
  if (!behaviour) {
    log.degrade("behaviour_unavailable", "the surface weights the behaviour model, but none is loaded");
    return null;
  }
  const out = new Float32Array(pool.count);
  try {
    await behaviour.score(pool.items.subarray(0, pool.count), out);
  } catch (error) {
    log.degrade("behaviour_failed", `the behaviour model ${label(behaviour)} failed: ${describe(error)}`);
    return null;
  }
  log.used(behaviour);
  return out;
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

function emptyReason(catalog: Catalog, eligibility: Eligibility): { code: EmptyCode; message: string } {
  if (catalog.items === 0) {
    return { code: "catalog_empty", message: "the catalogue holds no items" };
  }
  if (eligibility.matchingFilters === 0) {
    return { code: "no_item_matches_filters", message: `none of ${catalog.items} items passes the filters` };
  }
  return {
    code: "every_item_excluded",
    message: `all ${eligibility.matchingFilters} items that pass the filters are seen or explicitly excluded`,
  };
}

export async function decide(request: DecisionRequest, context: DecisionContext): Promise<Decision> {
  const { catalog, surface } = context;
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
  if (catalog === null) {
    const message = "no item catalogue is loaded";
    log.degrade("catalog_unavailable", message);
    return answer({ items: [], cold_start: false, empty_reason: { code: "catalog_unavailable", message } });
  }
  log.versions.catalog = catalog.header.version;

  const k = clampK(surface, request.k);
  const seen = surface.excludeSeen ? (context.user?.recentItems ?? []) : [];
  const excludedIds = [...seen, ...(request.excludeItems ?? [])];
  const eligibility = buildEligibility(catalog, mergeFilters(surface.filters, request.filters), excludedIds);
  if (eligibility.eligible === 0) {
    return answer({ items: [], cold_start: false, empty_reason: emptyReason(catalog, eligibility) });
  }

  const pool = createPool(surface.candidates + k);
  await addPersonal(context, catalog, eligibility, pool, log);
  const coldStart = pool.count === 0;
  if (coldStart) {
    addColdStart(pool, catalog, surface.coldStart, surface.candidates, eligibility.mask);
  }
  fillWithPopular(pool, catalog, k, eligibility.mask);

  const behaviour = await behaviourScores(context, pool, log);
  const relevance = scoreRelevance(pool, catalog, surface.weights, surface.sentimentPriorReviews, behaviour);
  const vectors = diversityVectors(catalog, surface, log);
  const selection = selectDiverse(pool, relevance.relevance, k, surface.diversity.lambda, vectors);
  const items = decidedItems(catalog, pool, relevance, selection, request.explain === true, {
    embeddingModel: catalog.embedding ? label(catalog.embedding) : undefined,
    behaviourModel: behaviour !== null && context.behaviour ? label(context.behaviour) : undefined,
    diversity: vectors !== null,
  });
  return answer({ items, cold_start: coldStart, empty_reason: null });
}
