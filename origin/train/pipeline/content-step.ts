/**
 * The content step: every item's fused content vector (origin/train/enrichment/content-vectors/) from its
 * categories, words, images and text-encoder embedding and from item2vec over users' item sequences, with
 * the weights measured on held-out items, and, when a recommender was trained, the cold-start rows that
 * place the items it has not seen in its factor space.
 */
import {
  type ContentSources,
  type ContentVectorOptions,
  type ItemContent,
  type ItemContentResult,
  itemContentVectors,
} from "../enrichment/index.ts";
import type { CsrMatrix, MfModel } from "../recs/index.ts";
import { itemEventIndices } from "./interaction-matrix.ts";
import type { InteractionLog } from "./read-interactions.ts";

/** The log's items as the content the enrichment reads. */
export function itemContents(log: Pick<InteractionLog, "items">): ItemContent[] {
  return log.items.map((item) => ({
    itemId: item.itemId,
    ...(item.title === null ? {} : { title: item.title }),
    ...(item.text === null ? {} : { text: item.text }),
    categories: item.categories,
    ...(item.imageUrl === null ? {} : { imageUrl: item.imageUrl }),
  }));
}

export async function contentStep(
  log: InteractionLog,
  matrix: CsrMatrix,
  mf: MfModel | null,
  sources: ContentSources,
  options: Partial<ContentVectorOptions> = {},
): Promise<ItemContentResult> {
  const events = itemEventIndices(log);
  const user = Int32Array.from(events, (e) => log.user[e]!);
  const item = Int32Array.from(events, (e) => log.item[e]!);
  const time = Float64Array.from(events, (e) => log.tsMs[e]!);
  return itemContentVectors(itemContents(log), sources, {
    events: { users: log.users.length, user, item, time },
    recommender: mf ? { mf, interactions: matrix } : null,
    options,
  });
}
