/**
 * The sentiment step: trains the review classifier when the window holds enough labelled reviews. A review's
 * label is its own value, or else the same user's rating of the same item, on the 1–5 scale: 4 and 5 are
 * positive, 1 and 2 negative, 3 says nothing and is left out. Without enough of both classes the step is
 * skipped (the publisher keeps the serving sentiment model).
 */
import { INTERACTION_TYPE_CODE } from "../../../models/contracts/index.ts";
import type { ReleaseModel } from "../../release/index.ts";
import { type SentimentModel, sentimentReleaseModel, trainAndEvaluateSentiment } from "../sentiment/index.ts";
import { labelledSplit } from "./labelled-split.ts";
import type { InteractionLog, ReviewLog } from "./read-interactions.ts";

export interface SentimentStepOptions {
  minLabelled?: number;
  minPerClass?: number;
  testFraction?: number;
  seed?: number;
}

export const SENTIMENT_STEP_DEFAULTS = { minLabelled: 100, minPerClass: 20, testFraction: 0.25, seed: 1 };

export type SentimentStepResult =
  | { trained: true; model: SentimentModel; release: ReleaseModel }
  | { trained: false; reason: string };

function labelOf(value: number): number {
  if (!Number.isFinite(value)) {
    return -1;
  }
  return value >= 4 ? 1 : value <= 2 ? 0 : -1;
}

/** Each review's label (1, 0, or -1 for none), from its value or the latest rating of its (user, item). */
export function reviewLabels(reviews: ReviewLog, log: InteractionLog): Int8Array {
  const ratings = new Map<number, { tsMs: number; value: number }>();
  const items = log.items.length;
  for (let e = 0; e < log.length; e++) {
    if (log.typeCode[e] !== INTERACTION_TYPE_CODE.rating || log.item[e]! < 0) {
      continue;
    }
    const key = log.user[e]! * items + log.item[e]!;
    const known = ratings.get(key);
    if (!known || known.tsMs <= log.tsMs[e]!) {
      ratings.set(key, { tsMs: log.tsMs[e]!, value: log.value[e]! });
    }
  }
  return Int8Array.from(reviews.texts, (_, r) => {
    const own = labelOf(reviews.value[r]!);
    if (own >= 0) {
      return own;
    }
    const rating = ratings.get(reviews.user[r]! * items + reviews.item[r]!);
    return rating ? labelOf(rating.value) : -1;
  });
}

export async function trainSentimentStep(
  reviews: ReviewLog,
  log: InteractionLog,
  version: string,
  options: SentimentStepOptions = {},
): Promise<SentimentStepResult> {
  const o = { ...SENTIMENT_STEP_DEFAULTS, ...options };
  const split = labelledSplit(reviewLabels(reviews, log), (r) => reviews.texts[r]!, o);
  const { positives, negatives, sides } = split;
  if (!sides) {
    return {
      trained: false,
      reason:
        `sentiment: skipped: ${reviews.texts.length} reviews, ${positives} positive and ${negatives} negative ` +
        `labelled (needs ${o.minLabelled} labelled and ${o.minPerClass} of each class)`,
    };
  }
  const text = (side: (typeof sides)["train"]) => ({ texts: side.items, labels: side.labels });
  const evaluation = await trainAndEvaluateSentiment(text(sides.train), text(sides.test), { seed: o.seed });
  const m = evaluation.int8;
  return {
    trained: true,
    model: evaluation.model,
    // The evaluated model is the one served: its test figures describe exactly these bytes.
    release: sentimentReleaseModel(evaluation.model, "int8", version, {
      auc: m.rocAuc,
      accuracy: m.accuracy,
      f1: m.f1,
      log_loss: m.logLoss,
      test_count: m.count,
      lexicon_auc: evaluation.lexicon.rocAuc,
    }),
  };
}
