import type { ItemContent } from "../item-content.ts";
import type { TextEncoder } from "./onnx-text-encoder.ts";

const BATCH = 32;

export interface TextEmbeddings {
  name: string;
  dim: number;
  /** [items × dim]; a zero row for an item without text or whose batch failed */
  vectors: Float32Array;
  encoded: number;
  /** items whose batch the encoder failed on (counted, skipped) */
  failed: number;
}

/** Each item's title, text and categories through the text encoder, in batches; a failing batch is skipped. */
export async function encodeItemTexts(
  items: readonly ItemContent[],
  encoder: TextEncoder,
): Promise<TextEmbeddings> {
  const texts = items.map((item) =>
    [item.title ?? "", item.text ?? "", (item.categories ?? []).join(", ")]
      .filter((part) => part !== "")
      .join(". "),
  );
  const chosen = Array.from(texts.keys()).filter((i) => texts[i] !== "");
  const rows = new Map<number, Float32Array>();
  let failed = 0;
  for (let start = 0; start < chosen.length; start += BATCH) {
    const batch = chosen.slice(start, start + BATCH);
    try {
      const vectors = await encoder.encode(batch.map((i) => texts[i]!));
      for (const [b, i] of batch.entries()) {
        rows.set(i, vectors[b]!);
      }
    } catch {
      failed += batch.length;
    }
  }
  const dim = rows.values().next().value?.length ?? 0;
  const vectors = new Float32Array(items.length * dim);
  for (const [i, row] of rows) {
    if (row.length === dim) {
      vectors.set(row, i * dim);
    }
  }
  return { name: encoder.name, dim, vectors, encoded: rows.size, failed };
}
