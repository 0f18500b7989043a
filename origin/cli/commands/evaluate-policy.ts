import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { joinRewards } from "../../../models/bandit/join-rewards.ts";
import { banditPolicyFromFile } from "../../../models/bandit/policy-file.ts";
import {
  comparePolicies,
  ESTIMATORS,
  type Estimate,
  type EstimatorName,
  loggedDataFromJoined,
  publishGate,
  readDecisionLog,
  readRewardLog,
} from "../../learn/index.ts";
import { type Command, UsageError } from "../command.ts";

const usage = `usage: edgewise evaluate-policy --decisions FILE --rewards FILE --candidate FILE [options]

Estimates what a candidate bandit policy would have earned on logged decisions, against the policy that
logged them, with IPS, self-normalised IPS and doubly robust estimators and their confidence intervals.
Only the top slot is evaluated, on the candidate's surface. Exits 1 when the candidate is worse (the
interval of the difference lies below 0) unless --force, 0 otherwise; 2 on a usage error.

  --decisions FILE       NDJSON decision records, as the edge logs them
  --rewards FILE         NDJSON reward records
  --candidate FILE       the candidate policy file (JSON, as published)
  --logging FILE         a policy file to compare with instead of the logs' observed rewards
  --window-ms N          join window after each decision (default 3600000); decisions still open are left out
  --now TIME             the join's clock, ISO-8601 or epoch ms (default: now)
  --default-reward R     reward of a decision that got none in its window (default 0)
  --estimator NAME       the estimator that decides: ${ESTIMATORS.join(" | ")} (default dr)
  --confidence C         two-sided level of the intervals (default 0.95)
  --clip W               cap importance weights at W (lower variance, biased towards 0)
  --bootstrap N          percentile bootstrap with N resamples instead of normal intervals
  --folds K              cross-fitting folds of DR's reward model (default 2)
  --seed S               seeds the bootstrap, the folds and Thompson Monte Carlo (default 1)
  --require-improvement  exit 1 also when the result is inconclusive
  --force                exit 0 even when the candidate is worse
  --json                 print one JSON object instead of a table`;

function numberOption(
  value: string | undefined,
  name: string,
  check: (n: number) => boolean,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name}: invalid value '${value}'`);
  }
  return n;
}

function parseTime(value: string | undefined): number {
  if (value === undefined) {
    return Date.now();
  }
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--now: '${value}' is neither ISO-8601 nor epoch milliseconds`);
  }
  return ms;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        decisions: { type: "string" },
        rewards: { type: "string" },
        candidate: { type: "string" },
        logging: { type: "string" },
        "window-ms": { type: "string" },
        now: { type: "string" },
        "default-reward": { type: "string" },
        estimator: { type: "string" },
        confidence: { type: "string" },
        clip: { type: "string" },
        bootstrap: { type: "string" },
        folds: { type: "string" },
        seed: { type: "string" },
        "require-improvement": { type: "boolean" },
        force: { type: "boolean" },
        json: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const fmt = (e: Estimate) => `${e.value.toFixed(4)} [${e.lower.toFixed(4)}, ${e.upper.toFixed(4)}]`;
const signed = (e: Estimate) =>
  `${e.value >= 0 ? "+" : ""}${e.value.toFixed(4)} [${e.lower.toFixed(4)}, ${e.upper.toFixed(4)}]`;

async function readPolicy(path: string) {
  try {
    return banditPolicyFromFile(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    throw new UsageError(`${path}: not a valid policy file (${(error as Error).message.split("\n")[0]})`);
  }
}

export const evaluatePolicyCommand: Command = {
  summary: "estimate a candidate bandit policy on logged decisions (IPS, SNIPS, DR) and gate its publishing",
  usage,
  async run(args) {
    const v = parse(args);
    if (v.decisions === undefined || v.rewards === undefined || v.candidate === undefined) {
      throw new UsageError("--decisions, --rewards and --candidate are required");
    }
    const decideBy = (v.estimator ?? "dr") as EstimatorName;
    if (!ESTIMATORS.includes(decideBy)) {
      throw new UsageError(`--estimator must be one of ${ESTIMATORS.join(", ")}`);
    }
    const windowMs = numberOption(v["window-ms"], "window-ms", (n) => n >= 0) ?? 3_600_000;
    const defaultReward = numberOption(v["default-reward"], "default-reward", (n) => n >= -1 && n <= 1) ?? 0;
    const confidence = numberOption(v.confidence, "confidence", (n) => n > 0 && n < 1) ?? 0.95;
    const maxWeight = numberOption(v.clip, "clip", (n) => n > 0);
    const resamples = numberOption(v.bootstrap, "bootstrap", (n) => Number.isInteger(n) && n >= 100);
    const folds = numberOption(v.folds, "folds", (n) => Number.isInteger(n) && n >= 2) ?? 2;
    const seed = numberOption(v.seed, "seed", Number.isInteger) ?? 1;
    const now = parseTime(v.now);

    const candidate = await readPolicy(v.candidate);
    const logging = v.logging === undefined ? "observed" : await readPolicy(v.logging);
    const decisionLog = await readDecisionLog(v.decisions);
    const rewardLog = await readRewardLog(v.rewards);
    const join = joinRewards(decisionLog.decisions, rewardLog.rewards, { windowMs, now, defaultReward });
    const { data, skipped } = loggedDataFromJoined(join.joined, {
      contextDims: candidate.config.contextDims,
      actionDims: candidate.config.actionDims,
      surface: candidate.surface,
    });
    const inputs = {
      invalidDecisionLines: decisionLog.invalidLines,
      invalidRewardLines: rewardLog.invalidLines,
      join: join.counters,
      skipped,
    };
    if (data.records < 2) {
      const message = `edgewise evaluate-policy: ${data.records} closed decision(s) of surface '${candidate.surface}' to evaluate on; need at least 2`;
      console.error(v.json ? JSON.stringify({ error: message, inputs }) : message);
      return 1;
    }
    const comparison = comparePolicies(data, candidate, logging, {
      decideBy,
      confidence,
      maxWeight,
      seed,
      rewardModel: { folds, seed },
      ...(resamples === undefined ? {} : { bootstrap: { resamples, seed } }),
    });
    const gate = publishGate(comparison, { force: v.force, requireImprovement: v["require-improvement"] });

    if (v.json) {
      console.log(
        JSON.stringify({
          candidate: { id: candidate.id, version: candidate.version },
          inputs,
          comparison,
          gate,
        }),
      );
    } else {
      const c = join.counters;
      const baseline =
        logging === "observed" ? "the logged policy (observed rewards)" : `${logging.id}@${logging.version}`;
      const d = comparison.diagnostics.candidate;
      console.log(
        [
          `candidate ${candidate.id}@${candidate.version} (${candidate.config.algorithm}) vs ${baseline}`,
          `on ${data.records} decisions of surface '${candidate.surface}'`,
          `decisions: ${c.decisions} read (${decisionLog.invalidLines} invalid lines), ${c.duplicateDecisions} duplicate, ${c.openDecisions} still open, ${c.closedDecisions} closed (${c.rewardedDecisions} rewarded, ${c.defaultedDecisions} default ${defaultReward}); skipped ${skipped.otherSurface} of other surfaces, ${skipped.shapeMismatch} with vectors of another width`,
          `rewards: ${c.rewards} read (${rewardLog.invalidLines} invalid lines), ${c.applied} applied, ${c.superseded} superseded, ${c.duplicates} duplicate, ${c.late} late, ${c.invalid} invalid, ${c.badSlot} bad slot, ${c.unknownHeld + c.unknownDropped} unknown decision`,
          "",
          `estimator  ${"candidate".padEnd(26)}  ${"logging".padEnd(26)}  difference`,
          ...ESTIMATORS.map(
            (name) =>
              `${name.toUpperCase().padEnd(9)}  ${fmt(comparison.candidate[name]).padEnd(26)}  ${fmt(comparison.logging[name]).padEnd(26)}  ${signed(comparison.difference[name])}`,
          ),
          "",
          `${Math.round(confidence * 100)}% ${resamples === undefined ? "normal" : `bootstrap (${resamples} resamples)`} intervals; importance weights: mean ${d.meanWeight.toFixed(3)}, max ${d.maxWeight.toFixed(2)}, effective sample size ${Math.round(d.effectiveSampleSize)} of ${data.records}${maxWeight === undefined ? "" : `, ${d.clipped} clipped at ${maxWeight} (estimates biased towards 0)`}`,
          `recommendation: ${comparison.recommendation} (${comparison.reason})`,
          `gate: ${gate.publish ? "publish" : "do not publish"}`,
        ].join("\n"),
      );
    }
    return gate.publish ? 0 : 1;
  },
};
