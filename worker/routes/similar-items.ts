import { Hono } from "hono";
import { endTime, startTime } from "hono/timing";
import { z } from "zod";
import type { Catalog, ItemVectors } from "../../models/catalog/index.ts";
import { describeIssues } from "../../models/contracts/index.ts";
import { apiError } from "../http/api-error.ts";
import { ItemId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { catalogOf, currentManifest } from "../http/edge-loaders.ts";

const SimilarQuery = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10),
  /** Whose vectors define "similar": the recommendation model's (co-interaction) or the content model's. */
  vectors: z.enum(["embedding", "content"]).default("embedding"),
});

/**
 * GET /items/:id/similar?k=…: items nearest to this one by the catalogue's int8 vectors (the wasm
 * kernel, with the item's own row as the query). Without vectors it falls back to the most popular
 * items and says so (`degraded`); an item the catalogue does not hold is a 404.
 */
export function similarItemRoutes() {
  return new Hono<EdgeContext>().get("/items/:id/similar", async (c) => {
    const id = ItemId.safeParse(c.req.param("id"));
    if (!id.success) {
      return apiError(c, 400, "invalid_item_id", describeIssues(id.error));
    }
    const itemId = id.data;
    const query = SimilarQuery.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, 400, "invalid_query", z.prettifyError(query.error));
    }
    const { k, vectors } = query.data;
    const manifest = await currentManifest(c);
    const loaded = await catalogOf(c, manifest);
    if (!loaded) {
      return c.json({
        item_id: itemId,
        items: [],
        degraded: true,
        degraded_causes: [
          { code: "catalog_unavailable", message: "no item catalogue is published or readable" },
        ],
      });
    }
    const { catalog } = loaded;
    const index = catalog.indexOf(itemId);
    if (index < 0) {
      return apiError(c, 404, "item_not_found", `the catalogue has no item '${itemId}'`);
    }
    const table = vectors === "content" ? catalog.content : catalog.embedding;
    const scorer = vectors === "content" ? loaded.contentScorer : loaded.scorer;
    const versions = { catalog: loaded.version, ...(table ? { [table.model]: table.version } : {}) };
    if (!table || !scorer) {
      return c.json({
        item_id: itemId,
        items: popularExcept(catalog, index, k),
        degraded: true,
        degraded_causes: [
          { code: "item_vectors_missing", message: `the catalogue has no ${vectors} vectors` },
        ],
        model_versions: versions,
      });
    }
    startTime(c, "similar");
    const { values, scale } = row(table, index);
    const result = await scorer(values, scale, k, Uint32Array.of(index));
    endTime(c, "similar");
    return c.json({
      item_id: itemId,
      items: Array.from(result.indices, (item, i) => ({
        item_id: catalog.itemIds[item]!,
        score: result.scores[i]!,
      })),
      degraded: false,
      degraded_causes: [],
      model_versions: versions,
    });
  });
}

function row(table: ItemVectors, index: number): { values: Int8Array; scale: number } {
  return {
    values: table.values.subarray(index * table.dim, (index + 1) * table.dim),
    scale: table.scales[index]!,
  };
}

function popularExcept(
  catalog: Catalog,
  except: number,
  k: number,
): Array<{ item_id: string; score: number }> {
  const order = Array.from({ length: catalog.items }, (_, i) => i)
    .filter((i) => i !== except)
    .sort((a, b) => catalog.popularity[b]! - catalog.popularity[a]! || a - b);
  return order.slice(0, k).map((i) => ({ item_id: catalog.itemIds[i]!, score: catalog.popularity[i]! }));
}
