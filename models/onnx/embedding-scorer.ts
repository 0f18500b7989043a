/**
 * An embedding scorer: user [B, dim] and item_ids int64 [N] → scores [B, N] = user · item_table[item_ids]ᵀ.
 *
 * The table lives inside the model, so the edge scores any candidate list with one KV read (the model) and
 * no per-item lookups. Only the N requested rows are gathered, so cost grows with candidates, not catalogue.
 *
 * int8 storage ("Gather over int8 embeddings"): Gather picks rows straight from the int8 table, and only those
 * rows are dequantized. Two scale granularities:
 * - "per-tensor" (default): Gather → DequantizeLinear with one scalar scale. Smallest graph; error ≤ s/2 per
 *   value with s = max|table| / 127.
 * - "per-row": one scale per item, for tables whose row norms vary widely (popular items grow long vectors,
 *   and a shared scale would flatten the rest). The graph gathers the int8 rows and their scales with the
 *   same ids, then DequantizeLinear(axis=0) with the gathered [N] scales as its (non-constant) per-axis
 *   scale. Dequantizing the table before Gather would need no second Gather, but would dequantize every item
 *   on every request. onnxruntime-web and onnxruntime-node both accept a computed per-axis scale (checked by
 *   test/models/onnx/embedding-scorer-parity.test.ts); Cast → Mul would be the fallback for a runtime
 *   that insists on constant scales.
 */
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { BuildOptions, BuiltModel } from "./model-io.ts";
import { quantizePerRow, quantizePerTensor } from "./quantize.ts";

export type TableScaleGranularity = "per-tensor" | "per-row";

export interface EmbeddingScorerOptions extends BuildOptions {
  /** [items, dim] row-major. */
  itemTable: Float32Array;
  items: number;
  dim: number;
  /** Only for quantize "int8"; defaults to "per-tensor". */
  scaleGranularity?: TableScaleGranularity;
}

export const EMBEDDING_USER_INPUT = "user";
export const EMBEDDING_ITEMS_INPUT = "item_ids";
export const EMBEDDING_OUTPUT = "scores";

export function checkEmbeddingTable(options: EmbeddingScorerOptions): void {
  const { items, dim, itemTable } = options;
  if (!Number.isInteger(items) || !Number.isInteger(dim) || items < 1 || dim < 1) {
    throw new RangeError(`items and dim must be positive integers, got ${items} and ${dim}`);
  }
  if (itemTable.length !== items * dim) {
    throw new RangeError(`itemTable needs ${items}×${dim} values, got ${itemTable.length}`);
  }
}

export function buildEmbeddingScorer(options: EmbeddingScorerOptions): BuiltModel {
  checkEmbeddingTable(options);
  const { items, dim, quantize } = options;
  const granularity = options.scaleGranularity ?? "per-tensor";
  const graph = new GraphBuilder(options.name ?? "embedding-scorer");
  const user = graph.input(EMBEDDING_USER_INPUT, "float32", ["B", dim]);
  const ids = graph.input(EMBEDDING_ITEMS_INPUT, "int64", ["N"]);
  const rows = "item_rows";
  if (quantize === "float32") {
    const table = graph.float32("item_table", [items, dim], options.itemTable);
    graph.node("Gather", [table, ids], [rows], { axis: { int: 0 } });
  } else if (granularity === "per-tensor") {
    const q = quantizePerTensor(options.itemTable);
    const table = graph.int8("item_table_int8", [items, dim], q.data);
    const scale = graph.float32("item_table_scale", [], Float32Array.of(q.scale));
    graph.node("Gather", [table, ids], ["item_rows_int8"], { axis: { int: 0 } });
    graph.node("DequantizeLinear", ["item_rows_int8", scale], [rows]);
  } else {
    const q = quantizePerRow(options.itemTable, items, dim);
    const table = graph.int8("item_table_int8", [items, dim], q.data);
    const scales = graph.float32("item_table_scales", [items], q.scales);
    graph.node("Gather", [table, ids], ["item_rows_int8"], { axis: { int: 0 } });
    graph.node("Gather", [scales, ids], ["item_row_scales"], { axis: { int: 0 } });
    graph.node("DequantizeLinear", ["item_rows_int8", "item_row_scales"], [rows], { axis: { int: 0 } });
  }
  // Gemm with transB multiplies by the transpose without materialising it.
  graph.node("Gemm", [user, rows], [EMBEDDING_OUTPUT], { transB: { int: 1 } });
  graph.output(EMBEDDING_OUTPUT, "float32", ["B", "N"]);
  const scaleNote = quantize === "int8" ? ` (${granularity} scale)` : "";
  const bytes = serializeModel(graph, {
    name: options.name ?? "embedding-scorer",
    version: options.version ?? "0",
    docString: `embedding scorer over ${items}×${dim} items, ${quantize}${scaleNote}`,
  });
  return { kind: "embedding-scorer", bytes, io: graph.io(), quantization: quantize };
}
