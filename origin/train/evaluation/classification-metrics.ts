/**
 * Binary classification metrics. Labels are 0/1; `probabilities` are P(label = 1); `scores` may be any
 * monotone score (only their order matters for ROC-AUC).
 */

export interface ClassificationMetrics {
  accuracy: number;
  f1: number;
  rocAuc: number;
  logLoss: number;
  /** examples evaluated */
  count: number;
  /** share of label 1 among them */
  positiveRate: number;
}

function checkLengths(labels: ArrayLike<number>, other: ArrayLike<number>, what: string): void {
  if (labels.length !== other.length) {
    throw new Error(`${what}: ${labels.length} labels but ${other.length} predictions`);
  }
}

export function accuracy(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): number {
  checkLengths(labels, probabilities, "accuracy");
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i]! >= threshold ? 1 : 0;
    if (predicted === labels[i]) {
      right++;
    }
  }
  return labels.length === 0 ? 0 : right / labels.length;
}

/** F1 of the positive class (label 1): 2·TP / (2·TP + FP + FN); 0 when there is no positive at all. */
export function f1Score(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): number {
  checkLengths(labels, probabilities, "f1Score");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i]! >= threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) {
      tp++;
    } else if (predicted) {
      fp++;
    } else if (actual) {
      fn++;
    }
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/**
 * ROC-AUC as the Mann–Whitney U statistic: the probability that a random positive scores above a random
 * negative, ties counting one half (tied scores share their average rank). 0.5 when one class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkLengths(labels, scores, "rocAuc");
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSumPositives = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) {
      j++;
    }
    // ranks are 1-based: positions i..j share the mean rank (i + j) / 2 + 1
    const meanRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (labels[order[t]!] === 1) {
        positives++;
        rankSumPositives += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    return 0.5;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy in nats, probabilities clipped to [eps, 1 - eps] so a confident miss is finite. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, eps = 1e-15): number {
  checkLengths(labels, probabilities, "logLoss");
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length === 0 ? 0 : sum / labels.length;
}

export function evaluateClassifier(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i] === 1 ? 1 : 0;
  }
  return {
    accuracy: accuracy(labels, probabilities, threshold),
    f1: f1Score(labels, probabilities, threshold),
    rocAuc: rocAuc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    count: labels.length,
    positiveRate: labels.length === 0 ? 0 : positives / labels.length,
  };
}
