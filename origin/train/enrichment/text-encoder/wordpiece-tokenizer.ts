/** How the operator's text encoder tokenizes: a BERT-style WordPiece vocabulary and its conventions. */
export interface WordPieceSpec {
  /** token → id, from the model's vocab.txt (one token a line, the line number its id) */
  vocabulary: ReadonlyMap<string, number>;
  /** most tokens per text, [CLS] and [SEP] included */
  maxTokens: number;
  /** lower-case and strip accents first (uncased models) */
  lowercase: boolean;
}

export interface EncodedBatch {
  /** [texts × maxTokens] token ids, padded with [PAD] */
  inputIds: BigInt64Array;
  /** 1 for real tokens, 0 for padding */
  attentionMask: BigInt64Array;
  maxTokens: number;
}

const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] as const;
/** Longest word WordPiece splits; longer ones become [UNK], as BERT's tokenizer does. */
const MAX_WORD_CHARS = 100;

/** A vocab.txt's lines as the token → id map, checking the special tokens a BERT model needs are there. */
export function parseVocabulary(text: string): Map<string, number> {
  const vocabulary = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, id) => {
    if (line !== "" && !vocabulary.has(line)) {
      vocabulary.set(line, id);
    }
  });
  const missing = SPECIAL.filter((token) => !vocabulary.has(token));
  if (missing.length > 0) {
    throw new RangeError(`the vocabulary lacks ${missing.join(", ")}`);
  }
  return vocabulary;
}

/** BERT's basic tokenization: optional lower-casing and accent stripping, split on spaces and punctuation. */
function basicTokens(text: string, lowercase: boolean): string[] {
  let clean = text.replace(/[\p{Cc}\p{Cf}]/gu, " ");
  if (lowercase) {
    clean = clean
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{Mn}/gu, "");
  }
  return clean
    .split(/\s+/u)
    .flatMap((word) => word.split(/([\p{P}\p{S}])/u))
    .filter((t) => t !== "");
}

/** Greedy longest-match WordPiece of one word, "##" marking a continuation; [UNK] when a piece is missing. */
function wordPieces(word: string, vocabulary: ReadonlyMap<string, number>): number[] {
  const unknown = vocabulary.get("[UNK]")!;
  const chars = Array.from(word);
  if (chars.length > MAX_WORD_CHARS) {
    return [unknown];
  }
  const ids: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let found: number | undefined;
    while (end > start) {
      const piece = (start > 0 ? "##" : "") + chars.slice(start, end).join("");
      found = vocabulary.get(piece);
      if (found !== undefined) {
        break;
      }
      end--;
    }
    if (found === undefined) {
      return [unknown];
    }
    ids.push(found);
    start = end;
  }
  return ids;
}

/** Token ids of one text: [CLS] pieces… [SEP], truncated to maxTokens. */
export function tokenize(text: string, spec: WordPieceSpec): number[] {
  const pieces = basicTokens(text, spec.lowercase).flatMap((word) => wordPieces(word, spec.vocabulary));
  return [
    spec.vocabulary.get("[CLS]")!,
    ...pieces.slice(0, spec.maxTokens - 2),
    spec.vocabulary.get("[SEP]")!,
  ];
}

/** A batch of texts as padded input ids and an attention mask, the inputs BERT-style encoders take. */
export function encodeBatch(texts: readonly string[], spec: WordPieceSpec): EncodedBatch {
  const pad = BigInt(spec.vocabulary.get("[PAD]")!);
  const inputIds = new BigInt64Array(texts.length * spec.maxTokens).fill(pad);
  const attentionMask = new BigInt64Array(texts.length * spec.maxTokens);
  texts.forEach((text, t) => {
    tokenize(text, spec).forEach((id, p) => {
      inputIds[t * spec.maxTokens + p] = BigInt(id);
      attentionMask[t * spec.maxTokens + p] = 1n;
    });
  });
  return { inputIds, attentionMask, maxTokens: spec.maxTokens };
}
