/**
 * The baseline gate: a model is worth publishing only if it beats the naive model for its task on the same
 * held-out data (popularity for recommendations, the base rate for classifiers, the lexicon for sentiment)
 * by a stated relative margin. A model that cannot is refused whatever serves now and even when forced: the
 * edge's fallback (cold-start lists, or no model at all) is then at least as good and costs nothing.
 *
 * The interface for trainers is one field: a candidate carries its held-out headline metric in `metrics`
 * and `baseline: { name, value }`, the baseline's value of the same metric on the same rows.
 */

/** The naive model a candidate was compared with, and its headline metric on the candidate's held-out data. */
export interface BaselineScore {
  name: string;
  value: number;
}

/** Default BASELINE_MARGIN: the candidate must be at least 2 % better (relative) than its baseline. */
export const DEFAULT_BASELINE_MARGIN = 0.02;

/** The least a candidate must score to beat `baseline` by `margin` (relative to the baseline's value). */
export function baselineBar(baseline: number, margin: number): number {
  return baseline + margin * Math.abs(baseline);
}

export interface BaselineVerdict {
  beats: boolean;
  /** One sentence for logs and the registry's notes. */
  reason: string;
}

const fmt = (value: number) => value.toFixed(4);

/** Whether `value` (higher is better) beats the baseline by the margin, with the sentence that says so. */
export function judgeBaseline(
  metric: string,
  value: number | undefined,
  baseline: BaselineScore,
  margin: number,
): BaselineVerdict {
  const bar = baselineBar(baseline.value, margin);
  const margins = `${(margin * 100).toFixed(1)} % margin`;
  if (value === undefined || !Number.isFinite(value)) {
    return {
      beats: false,
      reason: `no held-out ${metric} to compare with ${baseline.name} (${fmt(baseline.value)})`,
    };
  }
  if (!Number.isFinite(baseline.value)) {
    return { beats: false, reason: `the ${baseline.name} baseline has no ${metric} to compare with` };
  }
  const comparison = `${metric} ${fmt(value)} vs ${baseline.name} ${fmt(baseline.value)}`;
  return value > bar
    ? { beats: true, reason: `${comparison}: beats the baseline by more than the ${margins}` }
    : {
        beats: false,
        reason: `${comparison}: does not beat the baseline by the ${margins} (needs > ${fmt(bar)})`,
      };
}
