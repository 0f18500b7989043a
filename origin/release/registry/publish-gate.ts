/**
 * The publish gate: a candidate whose headline metric is worse than the serving version's by more than a
 * relative tolerance is not published unless forced. Both figures come from held-out data of their own
 * training runs, so they measure the same thing on slightly different data: the tolerance absorbs that
 * noise, and `force` exists for when a person knows better (a deliberate change of data or objective).
 */
import type { CandidateModel, ModelVersionRow } from "./model-registry.ts";

/** The metric each kind of model is judged by: ranking quality for recommenders, AUC for classifiers. */
export function headlineMetric(kind: string): string {
  return kind === "mf" || kind === "popularity" ? "ndcg@10" : "auc";
}

export interface GateDecision {
  name: string;
  version: string;
  accepted: boolean;
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
  force?: boolean;
}

const fmt = (value: number) => value.toFixed(4);

/** Judges one candidate against the serving version's metrics (null when nothing of that name serves). */
export function judgeCandidate(
  candidate: Pick<CandidateModel, "name" | "version" | "kind" | "metrics">,
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
  const verdict = (accepted: boolean, reason: string): GateDecision => {
    if (!accepted && options.force) {
      return { ...base, accepted: true, reason: `forced past the gate: ${reason}` };
    }
    return { ...base, accepted, reason };
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
 * Judges every candidate of a release against what serves now. The release passes only if every candidate
 * does: its models come from one run (the catalogue, the user embeddings and the classifiers that enriched
 * them), so publishing part of it would mix runs.
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
  return { accepted: decisions.every((d) => d.accepted), decisions };
}
