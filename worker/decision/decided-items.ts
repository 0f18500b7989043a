/**
 * The only place the engine makes per-item objects: the final k, with their reasons when asked. Reasons are
 * the re-ranking terms' contributions plus the MMR penalty, so they sum to the item's score.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import { CANDIDATE_SOURCES, type CandidatePool } from "./candidate-pool.ts";
import type { Selection } from "./mmr.ts";
import { type Relevance, TERM_COUNT } from "./rerank.ts";
import type { DecidedItem, Reason } from "./types.ts";

export interface ExplainLabels {
  /** `name@version` of the embedding model behind "model" candidates. */
  embeddingModel: string | undefined;
  /** Whether MMR was active (a zero penalty is then still a reason worth showing). */
  diversity: boolean;
}

function reasonsFor(
  pool: CandidatePool,
  relevance: Relevance,
  selection: Selection,
  s: number,
  labels: ExplainLabels,
): Reason[] {
  const c = selection.positions[s]!;
  const at = c * TERM_COUNT;
  const term = (index: number) => ({
    value: relevance.values[at + index]!,
    contribution: relevance.contributions[at + index]!,
  });
  const source = CANDIDATE_SOURCES[pool.sources[c]!]!;
  const reasons: Reason[] = [
    {
      term: source,
      ...term(0),
      ...(source === "model" && labels.embeddingModel !== undefined ? { model: labels.embeddingModel } : {}),
    },
    { term: "popularity", ...term(1) },
    { term: "sentiment", ...term(2) },
  ];
  if (labels.diversity) {
    reasons.push({
      term: "mmr_penalty",
      value: selection.similarities[s]!,
      contribution: -selection.penalties[s]!,
    });
  }
  return reasons;
}

export function decidedItems(
  catalog: Catalog,
  pool: CandidatePool,
  relevance: Relevance,
  selection: Selection,
  explain: boolean,
  labels: ExplainLabels,
): DecidedItem[] {
  const items: DecidedItem[] = [];
  for (let s = 0; s < selection.positions.length; s++) {
    const c = selection.positions[s]!;
    items.push({
      item_id: catalog.itemId(pool.items[c]!),
      score: selection.scores[s]!,
      source: CANDIDATE_SOURCES[pool.sources[c]!]!,
      ...(explain ? { reasons: reasonsFor(pool, relevance, selection, s, labels) } : {}),
    });
  }
  return items;
}
