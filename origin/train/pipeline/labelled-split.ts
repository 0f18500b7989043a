/**
 * What the classifier steps share: keep the examples that have a label (1 or 0; −1 is none), count the
 * classes, and split them into train and test by a seeded stratified split, so each class keeps its
 * share on both sides.
 */
import { mulberry32 } from "../../../models/random.ts";
import { stratifiedSplit } from "../linear/index.ts";

export interface LabelledSplit<T> {
  count: number;
  positives: number;
  negatives: number;
  /** The train and test sides, or null when there are too few examples or too few of either class. */
  sides: { train: { items: T[]; labels: Uint8Array }; test: { items: T[]; labels: Uint8Array } } | null;
}

export function labelledSplit<T>(
  labels: ArrayLike<number>,
  itemOf: (index: number) => T,
  rules: { minLabelled: number; minPerClass: number; testFraction: number; seed: number },
): LabelledSplit<T> {
  const items: T[] = [];
  const y: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= 0) {
      items.push(itemOf(i));
      y.push(labels[i]!);
    }
  }
  const positives = y.filter((label) => label === 1).length;
  const negatives = y.length - positives;
  if (y.length < rules.minLabelled || Math.min(positives, negatives) < rules.minPerClass) {
    return { count: y.length, positives, negatives, sides: null };
  }
  const split = stratifiedSplit(y, rules.testFraction, mulberry32(rules.seed));
  const side = (indices: Int32Array) => ({
    items: Array.from(indices, (r) => items[r]!),
    labels: Uint8Array.from(indices, (r) => y[r]!),
  });
  return {
    count: y.length,
    positives,
    negatives,
    sides: { train: side(split.train), test: side(split.validation) },
  };
}
