/**
 * Per-surface exploration settings. Every key has a default, so `{}` is a working softmax-UCB policy.
 * The surface's `exploration` section in the manifest is meant to carry this object.
 */
import { z } from "zod";

/** d = contextDims · actionDims; A and A⁻¹ are d×d float64, and the edge inverts A once per published version. */
export const MAX_JOINT_DIMS = 256;

export const BANDIT_ALGORITHMS = ["softmax-ucb", "thompson", "epsilon-greedy"] as const;
export type BanditAlgorithm = (typeof BANDIT_ALGORITHMS)[number];

export const BanditConfig = z
  .object({
    /**
     * softmax-ucb: Boltzmann sampling over LinUCB scores (exact propensities).
     * thompson: linear Thompson sampling (propensities estimated by Monte Carlo, see propensityDraws).
     * epsilon-greedy: the linear model's greedy ranking, each slot replaced by a uniform pick with
     * probability epsilon (exact propensities).
     */
    algorithm: z.enum(BANDIT_ALGORITHMS).default("softmax-ucb"),
    /** Width of the hashed context vector, bias included (slot 0). */
    contextDims: z.int().min(1).max(64).default(8),
    /** Width of the hashed (or dense) action vector, bias included: a dense vector has actionDims − 1 values. */
    actionDims: z.int().min(2).max(MAX_JOINT_DIMS).default(8),
    /** Ridge penalty λ: A starts as λ·I. Larger λ trusts the first rewards less. */
    ridge: z.number().positive().default(1),
    /** softmax-ucb: weight of the confidence bonus √(zᵀA⁻¹z) added to the predicted reward. */
    alpha: z.number().min(0).default(1),
    /** softmax-ucb: Boltzmann temperature on the reward scale; small = nearly greedy. */
    temperature: z.number().positive().default(0.05),
    /**
     * epsilon-greedy: the exploration rate. softmax-ucb and thompson: a uniform floor mixed into every
     * slot's distribution, so each remaining action keeps a propensity of at least epsilon / remaining.
     */
    epsilon: z.number().min(0).max(1).default(0.05),
    /** thompson: scale v of the posterior N(θ, v²·A⁻¹) that weights are drawn from. */
    posteriorScale: z.number().positive().default(0.5),
    /** thompson: Monte Carlo draws per decision for the propensity estimate (standard error ≤ 0.5/√draws). */
    propensityDraws: z.int().min(16).max(4096).default(128),
  })
  .refine((c) => c.contextDims * c.actionDims <= MAX_JOINT_DIMS, {
    message: `contextDims · actionDims must not exceed ${MAX_JOINT_DIMS}`,
    path: ["actionDims"],
  })
  .refine((c) => c.algorithm !== "thompson" || c.epsilon > 0, {
    // Estimated propensities can come out 0 for an action that was in fact shown; the floor rules that out.
    message: "thompson needs epsilon > 0 so that no shown action is logged with propensity 0",
    path: ["epsilon"],
  });
export type BanditConfig = z.infer<typeof BanditConfig>;
export type BanditConfigInput = z.input<typeof BanditConfig>;
