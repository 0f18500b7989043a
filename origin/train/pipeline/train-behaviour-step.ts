/**
 * The behaviour step: the probability of the business's target (behaviour-target.ts), from the feature
 * groups (behaviour-features.ts: activity aggregates and user attributes by default).
 * - An event target (`event:purchase:7d`) is labelled in the last N days of the window, from what was
 *   known before them; users with no event before those days are left out. Served, the features are
 *   computed up to the window's end, so the edge predicts the next N days.
 * - An attribute target (`attribute:churned`) is labelled by the users' attribute, from features up to
 *   the window's end; users without a usable value are left out, and every user is scored.
 * The learner (logistic regression or gradient-boosted trees) is chosen on validation inside the training
 * rows; held-out test rows give the metrics and the base rate's, for the publish gate. Skipped, with the
 * reason, when the window has too few users or too few of either class.
 */
import {
  type BehaviourTarget,
  DEFAULT_BEHAVIOUR_TARGET,
  describeBehaviourTarget,
  INTERACTION_TYPE_CODE,
  parseBehaviourTarget,
} from "../../../models/contracts/index.ts";
import { encodedWidth, encodeRowInto, type TabularRow } from "../../../models/features/index.ts";
import { ownEntry } from "../../../models/own-entry.ts";
import type { ReleaseModel } from "../../release/index.ts";
import {
  attributeLabel,
  type BehaviourModel,
  type BehaviourTrainingOptions,
  behaviourReleaseModel,
  servedQuantization,
  trainAndEvaluateBehaviour,
} from "../behaviour/index.ts";
import {
  activityFeatures,
  attributeFeatures,
  type BehaviourFeatureGroup,
  mergeFeatureGroups,
} from "./behaviour-features.ts";
import { labelledSplit } from "./labelled-split.ts";
import type { InteractionLog } from "./read-interactions.ts";

export interface BehaviourStepOptions {
  /** What to predict (a BehaviourTarget or its text form); default `event:purchase:7d`. */
  target?: BehaviourTarget | string;
  activityDays?: number;
  /** Extra feature groups after activity and attributes (e.g. content vectors). */
  featureGroups?: (log: InteractionLog) => BehaviourFeatureGroup[];
  learners?: BehaviourTrainingOptions["learners"];
  minUsers?: number;
  minPerClass?: number;
  testFraction?: number;
  seed?: number;
}

export const BEHAVIOUR_STEP_DEFAULTS = {
  activityDays: 28,
  minUsers: 100,
  minPerClass: 20,
  testFraction: 0.25,
  seed: 1,
};

export type BehaviourStepResult =
  | {
      trained: true;
      model: BehaviourModel;
      release: ReleaseModel;
      /** One line for the run's notes: the target, the learner chosen and its settings. */
      summary: string;
      /** Encoded features of every user as served (null: nothing known of them). */
      vectors: (number[] | null)[];
    }
  | { trained: false; reason: string };

const DAY_MS = 86_400_000;

/** Labels (1, 0, or −1 for none) and the time features are computed up to, for the target. */
function labelsFor(
  log: InteractionLog,
  target: BehaviourTarget,
  nowMs: number,
): { labels: Int8Array; featuresUntilMs: number } {
  const labels = new Int8Array(log.users.length).fill(-1);
  if (target.kind === "attribute") {
    log.users.forEach((user, u) => {
      labels[u] = attributeLabel(target, ownEntry(user.attributes, target.name)) ?? -1;
    });
    return { labels, featuresUntilMs: nowMs };
  }
  const cutoffMs = nowMs - target.horizonDays * DAY_MS;
  const code = INTERACTION_TYPE_CODE[target.type];
  for (let e = 0; e < log.length; e++) {
    const t = log.tsMs[e]!;
    const u = log.user[e]!;
    if (t < cutoffMs) {
      // Known before the cut-off: a training row, negative unless the target follows.
      labels[u] = Math.max(labels[u]!, 0);
    }
  }
  for (let e = 0; e < log.length; e++) {
    const t = log.tsMs[e]!;
    if (log.typeCode[e] === code && t >= cutoffMs && t < nowMs && labels[log.user[e]!] === 0) {
      labels[log.user[e]!] = 1;
    }
  }
  return { labels, featuresUntilMs: cutoffMs };
}

export async function trainBehaviourStep(
  log: InteractionLog,
  nowMs: number,
  version: string,
  options: BehaviourStepOptions = {},
): Promise<BehaviourStepResult> {
  const o = { ...BEHAVIOUR_STEP_DEFAULTS, ...options };
  const target =
    typeof options.target === "object"
      ? options.target
      : parseBehaviourTarget(options.target ?? DEFAULT_BEHAVIOUR_TARGET);
  const described = describeBehaviourTarget(target);
  const groups = [
    activityFeatures(log, o.activityDays),
    attributeFeatures(log, target.kind === "attribute" ? [target.name] : []),
    ...(options.featureGroups?.(log) ?? []),
  ];
  const { labels, featuresUntilMs } = labelsFor(log, target, nowMs);
  const known = mergeFeatureGroups(groups, featuresUntilMs);
  const { count, positives, sides } = labelledSplit(labels, (u): TabularRow => known.rows[u]!, {
    ...o,
    minLabelled: o.minUsers,
  });
  if (!sides) {
    const who =
      target.kind === "event"
        ? `${count} users active before the last ${target.horizonDays} days, ${positives} of whom had ${target.type} in them`
        : `${count} users with a usable '${target.name}', ${positives} positive`;
    return {
      trained: false,
      reason: `behaviour (${described}): skipped: ${who} (needs ${o.minUsers} users and ${o.minPerClass} of each class)`,
    };
  }
  const table = (side: (typeof sides)["train"]) => ({ rows: side.items, labels: side.labels });
  const evaluation = await trainAndEvaluateBehaviour(table(sides.train), table(sides.test), {
    numeric: known.numeric,
    categorical: known.categorical,
    seed: o.seed,
    ...(options.learners ? { learners: options.learners } : {}),
  });
  const { model } = evaluation;
  const quantize = servedQuantization(model);
  const served = evaluation[quantize];
  // Served: features up to the window's end, for every user some group knows something about.
  const now = target.kind === "event" ? mergeFeatureGroups(groups, nowMs) : known;
  // An event target knows nothing of a user without an event; an attribute target still has attributes.
  const seen = new Uint8Array(log.users.length).fill(target.kind === "attribute" ? 1 : 0);
  for (let e = 0; e < log.length; e++) {
    if (log.tsMs[e]! < nowMs) {
      seen[log.user[e]!] = 1;
    }
  }
  const vector = new Float32Array(encodedWidth(model.encoder));
  const vectors = now.rows.map((row, u) => {
    if (seen[u] === 0) {
      return null;
    }
    encodeRowInto(model.encoder, row, vector, 0);
    return Array.from(vector);
  });
  const chosen = evaluation.trials.reduce((a, b) => (b.validationLogLoss < a.validationLogLoss ? b : a));
  const settings = Object.entries(chosen.settings)
    .map(([key, value]) => `${key} ${value}`)
    .join(", ");
  return {
    trained: true,
    model,
    release: behaviourReleaseModel(model, version, {
      quantize,
      metrics: {
        auc: served.rocAuc,
        accuracy: served.accuracy,
        log_loss: served.logLoss,
        test_count: served.count,
        positive_rate: served.positiveRate,
        base_rate: evaluation.majority.probability,
        base_rate_log_loss: evaluation.majority.logLoss,
        base_rate_auc: evaluation.majority.rocAuc,
      },
    }),
    summary:
      `behaviour: ${described}; ${chosen.learner} (${settings}) chosen on validation over ` +
      `${evaluation.trials.length} candidates; test AUC ${served.rocAuc.toFixed(4)} vs base rate 0.5`,
    vectors,
  };
}
