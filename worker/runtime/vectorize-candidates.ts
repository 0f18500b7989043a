/**
 * Personal candidates from a Cloudflare Vectorize index (the optional VECTORIZE binding), for catalogues
 * whose vectors outgrow one isolate: the same CandidateGenerator interface as the in-isolate kernel, so the
 * decision engine cannot tell them apart. Cold start still walks the catalogue's stored orders in the
 * kernel (`local`).
 *
 * The index holds one vector per item, its id the item id and its values the item's embedding (dot-product
 * metric). Vectorize answers at most VECTORIZE_TOP_K matches and cannot skip a list of seen items, so the
 * query asks for n plus the excluded count (up to that cap), and the rules are applied to the matches here
 * (isEligible): a filter that leaves few of the nearest items shortens the list rather than leaking.
 *
 * Not verified: Miniflare has no local Vectorize (wrangler lists it as remote-only), so this backend has
 * not run against a real index here; the interface's contract is tested on the in-isolate backend. The
 * origin does not yet upsert vectors to Vectorize (README, "Large catalogues and the memory budget").
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { SearchRules } from "../../wasm/catalog-kernel.ts";
import type { TopKResult } from "../../wasm/int8-topk.ts";
import type { CandidateGenerator } from "../decision/index.ts";
import { isEligible } from "../decision/index.ts";

/** Vectorize's most matches per query without values or metadata. */
export const VECTORIZE_TOP_K = 100;

/** The part of the Vectorize binding this backend uses. */
export interface VectorizeQueryable {
  query(
    vector: number[],
    options: { topK: number; returnValues: false; returnMetadata: "none" },
  ): Promise<{ matches: Array<{ id: string; score: number }> }>;
}

export function vectorizeCandidates(
  index: VectorizeQueryable,
  catalog: Catalog,
  local: CandidateGenerator,
): CandidateGenerator {
  return {
    personal: async (query: Float32Array, n: number, rules: SearchRules): Promise<TopKResult> => {
      const topK = Math.min(VECTORIZE_TOP_K, n + rules.excluded.length);
      const { matches } = await index.query(Array.from(query), {
        topK,
        returnValues: false,
        returnMetadata: "none",
      });
      const indices: number[] = [];
      const scores: number[] = [];
      for (const match of matches) {
        const item = catalog.indexOf(match.id);
        if (item >= 0 && indices.length < n && isEligible(catalog, rules, item)) {
          indices.push(item);
          scores.push(match.score);
        }
      }
      return { indices: Uint32Array.from(indices), scores: Float32Array.from(scores) };
    },
    ranked: local.ranked,
  };
}
