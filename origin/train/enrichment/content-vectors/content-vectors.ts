import type { ContentVectors } from "../../../../models/contracts/index.ts";
import { mulberry32, shuffleInPlace } from "../../../../models/random.ts";
import type { CsrMatrix } from "../../recs/index.ts";
import type { ImageFeatures } from "../images/index.ts";
import type { ItemContent } from "../item-content.ts";
import {
  fuseVectors,
  type Item2vecOptions,
  type ItemSequences,
  sequencesByUser,
  trainItem2vec,
} from "../item-embeddings/index.ts";
import type { TextEmbeddings } from "../text-encoder/index.ts";
import { type ColdStartOptions, fitColdStartMap, type RecommenderFactors } from "./cold-start-map.ts";
import { CONTENT_PART_NAMES, type ContentPartOptions, contentBlocks, presentRows } from "./content-parts.ts";
import { chooseItem2vecShare, type NextItemPairs, type ShareOptions } from "./item2vec-share.ts";
import type { VectorBlock } from "./ridge-map.ts";
import { denseOperator, truncatedSvd } from "./truncated-svd.ts";

export interface ContentVectorOptions {
  /** width of the catalogue's content table (CONTENT_VECTOR_DIM) */
  tableDim: number;
  /** users whose last new item is held out of item2vec to measure its share */
  maxNextItemUsers: number;
  parts: Partial<ContentPartOptions>;
  item2vec: Partial<Item2vecOptions>;
  coldStart: Partial<ColdStartOptions>;
  share: Partial<ShareOptions>;
  seed: number;
}

export const CONTENT_VECTOR_DEFAULTS: ContentVectorOptions = {
  tableDim: 64,
  maxNextItemUsers: 1000,
  parts: {},
  item2vec: {},
  coldStart: {},
  share: {},
  seed: 1,
};

/** Interactions with an item, one entry per event, with dense user and item indices and event times. */
export interface ItemEvents {
  users: number;
  user: Int32Array;
  item: Int32Array;
  time: ArrayLike<number>;
}

export interface ItemContentVectors {
  /** [items × dim]: the catalogue's content table */
  vectors: Float32Array;
  dim: number;
  /** what the vectors are made of, for the manifest */
  spec: ContentVectors;
  /** items the recommender has not seen and their rows in its factor space (absent without one) */
  cold: { items: Int32Array; vectors: Float32Array } | null;
}

/**
 * One fused content vector per item (issue 16), from every part the data has: the categories and the
 * words (TF-IDF, reduced by LSA), the text encoder's and image encoder's embeddings, the image
 * descriptors, and item2vec over users' item sequences. Each part's row is unit-length and weighted
 * (√weight), so the fused dot product is the weighted sum of the parts' cosines; an item without a part
 * has zeros there. The weights are measured where the data allows:
 *  - the content parts' weights by how well they place held-out items for their users (cold-start-map.ts),
 *    which also fits the map that gives items the recommender has not seen their factor rows;
 *  - item2vec's share against the content parts by how well the fused similarity finds each user's
 *    held-out next item (item2vec-share.ts).
 * The fused vectors are projected on their top `tableDim` singular directions for the catalogue, which
 * keeps their dot products as well as that width can. Null when no item has any part.
 */
export function computeContentVectors(input: {
  items: readonly ItemContent[];
  encoded: { images?: ImageFeatures; textEmbeddings?: TextEmbeddings };
  events?: ItemEvents;
  /** the recommender's factors and the interactions they were trained on; absent for popularity only */
  recommender?: { mf: RecommenderFactors; interactions: CsrMatrix } | null;
  options?: Partial<ContentVectorOptions>;
}): ItemContentVectors | null {
  const o = { ...CONTENT_VECTOR_DEFAULTS, ...input.options };
  const n = input.items.length;
  const blocks = contentBlocks(input.items, input.encoded, { seed: o.seed, ...o.parts });
  const cold = input.recommender
    ? fitColdStartMap({
        blocks,
        mf: input.recommender.mf,
        interactions: input.recommender.interactions,
        options: { seed: o.seed, ...o.coldStart },
      })
    : null;
  const contentWeights = cold?.weights ?? blocks.map(() => 1 / blocks.length);
  const item2vec = input.events ? learnedItemVectors(input.events, n, o) : null;

  const parts: VectorBlock[] = [...blocks];
  let weights = [...contentWeights];
  let weighting = cold?.spec.weighting ?? {
    method: "default" as const,
    metric: "equal-weights",
    heldOut: 0,
    score: null,
    bestSinglePart: null,
  };
  if (item2vec) {
    const share =
      blocks.length === 0
        ? { share: 1, weighting }
        : chooseItem2vecShare(
            unitRows(blocks, contentWeights, n),
            unitRows([item2vec.block], [1], n),
            item2vec.pairs,
            n,
            { seed: o.seed, ...o.share },
          );
    parts.push(item2vec.block);
    weights = [...contentWeights.map((w) => w * (1 - share.share)), share.share];
    weighting = share.weighting;
  }
  if (parts.length === 0) {
    return null;
  }
  const fused = unitRows(parts, weights, n);
  const projected =
    fused.dim <= o.tableDim
      ? { vectors: fused.vectors, dim: fused.dim, explained: 1 }
      : truncatedSvd(denseOperator(fused.vectors, n, fused.dim), { dim: o.tableDim, seed: o.seed });
  if (projected.dim === 0) {
    return null;
  }
  return {
    vectors: projected.vectors,
    dim: projected.dim,
    spec: {
      dim: projected.dim,
      explained: projected.explained,
      parts: parts.map((part, p) => ({
        name: part.name,
        dim: part.dim,
        weight: weights[p]!,
        items: part.present.reduce((sum, v) => sum + v, 0),
      })),
      weighting,
      ...(cold ? { coldStart: cold.spec } : {}),
    },
    cold: cold ? { items: cold.items, vectors: cold.vectors } : null,
  };
}

/** The blocks' rows unit-length, scaled by √weight and side by side (fuseVectors); missing rows stay zero. */
function unitRows(blocks: readonly VectorBlock[], weights: readonly number[], n: number) {
  return fuseVectors(
    blocks.map((block, b) => ({
      name: block.name,
      vectors: block.vectors,
      dim: block.dim,
      weight: weights[b]!,
    })),
    n,
  );
}

/**
 * item2vec over each user's items in time order, with the last new item of up to `maxNextItemUsers`
 * users held out (the pairs that measure item2vec's share; the served vectors are trained without those
 * few events). Null when no user has two items.
 */
function learnedItemVectors(
  events: ItemEvents,
  items: number,
  o: ContentVectorOptions,
): { block: VectorBlock; pairs: NextItemPairs } | null {
  const sequences = sequencesByUser(events.users, events.user, events.item, events.time);
  const { offsets } = sequences;
  const candidates: number[] = [];
  let trainable = 0;
  for (let u = 0; u < events.users; u++) {
    const start = offsets[u]!;
    const end = offsets[u + 1]!;
    trainable += end - start >= 2 ? 1 : 0;
    if (end - start >= 3 && !sequences.items.subarray(start, end - 1).includes(sequences.items[end - 1]!)) {
      candidates.push(u);
    }
  }
  if (trainable === 0) {
    return null;
  }
  const held = shuffleInPlace(candidates, mulberry32(o.seed)).slice(0, o.maxNextItemUsers);
  const pairs: NextItemPairs = {
    previous: Int32Array.from(held, (u) => sequences.items[offsets[u + 1]! - 2]!),
    next: Int32Array.from(held, (u) => sequences.items[offsets[u + 1]! - 1]!),
  };
  const vectors = trainItem2vec(withoutLast(sequences, new Set(held)), items, {
    seed: o.seed,
    ...o.item2vec,
  });
  const dim = vectors.length / Math.max(1, items);
  return {
    block: { name: CONTENT_PART_NAMES.item2vec, dim, vectors, present: presentRows(vectors, dim, items) },
    pairs,
  };
}

/** The sequences with the last item of each of `users` removed. */
function withoutLast(sequences: ItemSequences, users: ReadonlySet<number>): ItemSequences {
  const count = sequences.offsets.length - 1;
  const offsets = new Int32Array(count + 1);
  const kept: number[] = [];
  for (let u = 0; u < count; u++) {
    const end = sequences.offsets[u + 1]! - (users.has(u) ? 1 : 0);
    for (let t = sequences.offsets[u]!; t < end; t++) {
      kept.push(sequences.items[t]!);
    }
    offsets[u + 1] = kept.length;
  }
  return { offsets, items: Int32Array.from(kept) };
}

/** One line for a run's notes: the parts and weights, how they were chosen, and the cold-start map. */
export function describeContentVectors(spec: ContentVectors): string {
  const choice = (w: ContentVectors["weighting"]) =>
    w.method === "default"
      ? "defaults, too little data to measure"
      : `${w.metric} ${w.score?.toFixed(3)} on ${w.heldOut} held out, best single part ${w.bestSinglePart?.toFixed(3)}`;
  const parts = spec.parts.map((part) => `${part.name} ${part.weight.toFixed(2)}`).join(", ");
  const cold = spec.coldStart;
  return (
    `content vectors: ${parts} (${choice(spec.weighting)}), ${spec.dim} dims keeping ${(spec.explained * 100).toFixed(1)} %` +
    (cold
      ? `; ${cold.items} new items placed from ${cold.parts.map((p) => `${p.name} ${p.weight}`).join(", ")}, ` +
        `λ ${cold.lambda}, popularity prior ${cold.popularityPrior} (${choice(cold.weighting)})`
      : "")
  );
}
