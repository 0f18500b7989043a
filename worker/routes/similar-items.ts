import { OpenAPIHono } from "@hono/zod-openapi";
import { endTime, startTime } from "hono/timing";
import { z } from "zod";
import type { ItemVectors } from "../../models/catalog/index.ts";
import { describeIssues } from "../../models/contracts/index.ts";
import { type CatalogKernel, NO_RULES } from "../../wasm/catalog-kernel.ts";
import { apiError } from "../http/api-error.ts";
import { ItemId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { catalogOf, currentManifest } from "../http/edge-loaders.ts";
import { documentRoute, errorResponse, jsonResponse } from "../http/openapi-route.ts";

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
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "get",
    path: "/items/{id}/similar",
    operationId: "getSimilarItems",
    summary: "The items nearest to one item",
    description:
      "Nearest items by the catalogue's int8 vectors (the recommendation model's, or the content model's with vectors=content). Without vectors, popular items flagged `degraded`.",
    request: { params: z.object({ id: ItemId }), query: SimilarQuery },
    responses: {
      200: jsonResponse("The similar items with their scores"),
      400: errorResponse("An item id the event contract refuses, or a malformed query"),
      404: errorResponse("An item the catalogue does not hold"),
    },
  }).get("/items/:id/similar", async (c) => {
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
    const versions = { catalog: loaded.version, ...(table ? { [table.model]: table.version } : {}) };
    const others = { ...NO_RULES, excluded: Uint32Array.of(index) };
    if (!table) {
      return c.json({
        item_id: itemId,
        items: popularExcept(loaded.kernel, others, k),
        degraded: true,
        degraded_causes: [
          { code: "item_vectors_missing", message: `the catalogue has no ${vectors} vectors` },
        ],
        model_versions: versions,
      });
    }
    startTime(c, "similar");
    const result = loaded.kernel.nearest(table, row(table, index), k, others);
    endTime(c, "similar");
    return c.json({
      item_id: itemId,
      items: Array.from(result.indices, (item, i) => ({
        item_id: catalog.itemId(item),
        score: result.scores[i]!,
      })),
      degraded: false,
      degraded_causes: [],
      model_versions: versions,
    });
  });
}

/** The item's own row as floats: the int8 values times its scale, which quantize back to the same row. */
function row(table: ItemVectors, index: number): Float32Array {
  const scale = table.scales[index]!;
  return Float32Array.from(
    table.values.subarray(index * table.dim, (index + 1) * table.dim),
    (v) => v * scale,
  );
}

function popularExcept(
  kernel: CatalogKernel,
  rules: typeof NO_RULES,
  k: number,
): Array<{ item_id: string; score: number }> {
  const ranked = kernel.ranked("popular", k, rules);
  return Array.from(ranked.indices, (i, r) => ({
    item_id: kernel.catalog.itemId(i),
    score: ranked.scores[r]!,
  }));
}
