import type { SparseRows } from "../../../models/features/index.ts";
import { isPunctuation, tokenize } from "../../../models/text/index.ts";
import { ENGLISH_STOPWORDS } from "./stopwords.ts";

/**
 * TF-IDF over a vocabulary fitted on the catalogue: idf = ln((1 + N) / (1 + df)) + 1 (smoothed, as
 * scikit-learn does), tf sublinear (1 + ln count), rows L2-normalised. Terms are the tokenizer's words
 * (models/text) minus stopwords, numbers and one-letter words, plus each category as one `cat:<name>` term.
 */
export interface TfidfModel {
  vocabulary: Map<string, number>;
  terms: string[];
  idf: Float64Array;
}

export interface TfidfOptions {
  /** terms in fewer documents are dropped */
  minDf?: number;
  /** terms in more than this share of documents are dropped */
  maxDfRatio?: number;
}

export function contentTerms(text: string, categories: readonly string[] = []): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length > 1 && !isPunctuation(token) && !ENGLISH_STOPWORDS.has(token) && !/^\d+$/.test(token)) {
      terms.push(token);
    }
  }
  for (const c of categories) {
    terms.push(`cat:${c.toLowerCase()}`);
  }
  return terms;
}

export function fitTfidf(documents: readonly (readonly string[])[], options: TfidfOptions = {}): TfidfModel {
  const minDf = options.minDf ?? 2;
  const maxDf = (options.maxDfRatio ?? 0.5) * documents.length;
  const df = new Map<string, number>();
  for (const doc of documents) {
    for (const term of new Set(doc)) {
      df.set(term, (df.get(term) ?? 0) + 1);
    }
  }
  const terms = [...df.entries()]
    .filter(([, n]) => n >= minDf && n <= maxDf)
    .map(([t]) => t)
    .sort();
  const idf = Float64Array.from(terms, (t) => Math.log((1 + documents.length) / (1 + df.get(t)!)) + 1);
  return { vocabulary: new Map(terms.map((t, i) => [t, i])), terms, idf };
}

/** L2-normalised TF-IDF rows, one per document, over the model's vocabulary. */
export function tfidfRows(model: TfidfModel, documents: readonly (readonly string[])[]): SparseRows {
  const offsets = new Int32Array(documents.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  documents.forEach((doc, r) => {
    const counts = new Map<number, number>();
    for (const term of doc) {
      const i = model.vocabulary.get(term);
      if (i !== undefined) {
        counts.set(i, (counts.get(i) ?? 0) + 1);
      }
    }
    const ids = [...counts.keys()].sort((a, b) => a - b);
    const weights = ids.map((i) => (1 + Math.log(counts.get(i)!)) * model.idf[i]!);
    const norm = Math.hypot(...weights) || 1;
    ids.forEach((i, t) => {
      indices.push(i);
      values.push(weights[t]! / norm);
    });
    offsets[r + 1] = indices.length;
  });
  return {
    rows: documents.length,
    dim: model.terms.length,
    offsets,
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

/** The `topK` highest-weighted terms of each row (category terms excluded: they are already labels). */
export function topTerms(model: TfidfModel, rows: SparseRows, topK: number): string[][] {
  const out: string[][] = [];
  for (let r = 0; r < rows.rows; r++) {
    const entries: [string, number][] = [];
    for (let t = rows.offsets[r]!; t < rows.offsets[r + 1]!; t++) {
      const term = model.terms[rows.indices[t]!]!;
      if (!term.startsWith("cat:")) {
        entries.push([term, rows.values[t]!]);
      }
    }
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(entries.slice(0, topK).map(([term]) => term));
  }
  return out;
}
