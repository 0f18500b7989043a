/**
 * The publish gate, two checks per candidate:
 * 1. against its naive baseline on its own held-out data (baseline-gate.ts): a candidate that does not beat
 *    it by BASELINE_MARGIN is refused on its own, even when forced; the rest of the release can still go
 *    out, and the edge keeps its fallback for that model;
 * 2. against the serving version: a candidate whose headline metric is worse by more than a relative
 *    tolerance refuses the whole release unless forced. Both figures come from held-out data of their own
 *    training runs, so they measure the same thing on slightly different data: the tolerance absorbs that
 *    noise, and `force` exists for when a person knows better (a deliberate change of data or objective).
 */
import { DEFAULT_BASELINE_MARGIN, judgeBaseline } from "./baseline-gate.ts";
import type { CandidateModel, ModelVersionRow } from "./model-registry.ts";

/** Recommender kinds: judged by ranking quality; every other kind is a classifier judged by AUC. */
const RANKING_KINDS = new Set(["mf", "ease", "popularity"]);

/** The metric each kind of model is judged by: ranking quality for recommenders, AUC for classifiers. */
export function headlineMetric(kind: string): string {
  return RANKING_KINDS.has(kind) ? "ndcg@10" : "auc";
}

export interface GateDecision {
  name: string;
  version: string;
  accepted: boolean;
  /** Why it was refused: below its naive baseline (dropped alone) or worse than the serving version. */
  refusedBy: "baseline" | "serving" | null;
  metric: string;
  candidateValue: number | undefined;
  servingVersion: string | undefined;
  servingValue: number | undefined;
  /** One sentence for logs and the registry's notes. */
  reason: string;
}

export interface GateOptions {
  /** Largest accepted relative drop of the headline metric, e.g. 0.02 for 2 %. */
  tolerance: number;
  /** Relative margin by which a candidate must beat its baseline (BASELINE_MARGIN); default 0.02. */
  baselineMargin?: number;
  /** Passes the serving comparison; never the baseline check. */
  force?: boolean;
}

const fmt = (value: number) => value.toFixed(4);

/** Judges one candidate against the serving version's metrics (null when nothing of that name serves). */
export function judgeCandidate(
  candidate: Pick<CandidateModel, "name" | "version" | "kind" | "metrics" | "baseline">,
  serving: { version: string; metrics: Record<string, number> } | null,
  options: GateOptions,
): GateDecision {
  const metric = headlineMetric(candidate.kind);
  const candidateValue = candidate.metrics[metric];
  const servingValue = serving?.metrics[metric];
  const base = {
    name: candidate.name,
    version: candidate.version,
    metric,
    candidateValue,
    servingVersion: serving?.version,
    servingValue,
  };
  let baselineNote = "";
  if (candidate.baseline) {
    const margin = options.baselineMargin ?? DEFAULT_BASELINE_MARGIN;
    const against = judgeBaseline(metric, candidateValue, candidate.baseline, margin);
    if (!against.beats) {
      return { ...base, accepted: false, refusedBy: "baseline", reason: `refused: ${against.reason}` };
    }
    baselineNote = `; ${against.reason}`;
  } else if (candidate.kind !== "popularity") {
    baselineNote = "; no baseline supplied";
  }
  const verdict = (accepted: boolean, reason: string): GateDecision => {
    if (!accepted && options.force) {
      return {
        ...base,
        accepted: true,
        refusedBy: null,
        reason: `forced past the gate: ${reason}${baselineNote}`,
      };
    }
    return { ...base, accepted, refusedBy: accepted ? null : "serving", reason: `${reason}${baselineNote}` };
  };
  if (serving === null || servingValue === undefined || !Number.isFinite(servingValue)) {
    return verdict(true, `no serving ${candidate.name} with ${metric} to compare with`);
  }
  if (candidateValue === undefined || !Number.isFinite(candidateValue)) {
    return verdict(
      false,
      `${candidate.name}@${candidate.version} has no ${metric}; serving ${serving.version} has ${fmt(servingValue)}`,
    );
  }
  const drop = servingValue === 0 ? 0 : (servingValue - candidateValue) / Math.abs(servingValue);
  const comparison = `${metric} ${fmt(candidateValue)} vs ${fmt(servingValue)} serving (${serving.version})`;
  if (drop > options.tolerance) {
    return verdict(
      false,
      `${comparison}: ${(drop * 100).toFixed(1)} % worse, over the ${(options.tolerance * 100).toFixed(1)} % tolerance`,
    );
  }
  return verdict(true, comparison);
}

/**
 * Judges every candidate of a release. The release passes only if no candidate is refused against what
 * serves now: its models come from one run (the catalogue, the user embeddings and the classifiers that
 * enriched them), so publishing part of it would mix runs with the old ones. A candidate refused against
 * its baseline does not stop the release: it is left out, and the edge serves its fallback for it.
 */
export async function gateCandidates(
  registry: { serving(name: string): Promise<Pick<ModelVersionRow, "version" | "metrics"> | null> },
  candidates: readonly CandidateModel[],
  options: GateOptions,
): Promise<{ accepted: boolean; decisions: GateDecision[] }> {
  const decisions: GateDecision[] = [];
  for (const candidate of candidates) {
    const serving = await registry.serving(candidate.name);
    decisions.push(judgeCandidate(candidate, serving, options));
  }
  return { accepted: decisions.every((d) => d.refusedBy !== "serving"), decisions };
}
