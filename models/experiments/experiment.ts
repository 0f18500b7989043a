/**
 * An experiment splits a surface's traffic between configurations (arms). Assignment is sticky: a pure
 * function of the experiment id and the user id, so every isolate, the origin and any offline analysis
 * agree without storing assignments.
 */
import { z } from "zod";

const key = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "ids are 1–64 letters, digits, '_', '.' or '-'");

export const ExperimentArm = z.object({
  id: key,
  /** Relative share of traffic; shares are normalised over the arms. */
  weight: z.number().positive(),
  /** The bandit policy (or surface configuration) the arm serves; absent means the surface's default. */
  policy: key.optional(),
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

export const Experiment = z.object({
  /** Part of the hash: a new id reshuffles users, the same id keeps everyone where they were. */
  id: key,
  surface: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
  arms: z
    .array(ExperimentArm)
    .min(1)
    .max(32)
    .refine((arms) => new Set(arms.map((a) => a.id)).size === arms.length, "arm ids must be unique"),
});
export type Experiment = z.infer<typeof Experiment>;
