/**
 * An experiment splits a surface's traffic between configurations (arms). Assignment is sticky: a pure
 * function of the experiment id and the user id, so every isolate, the origin and any offline analysis
 * agree without storing assignments.
 */
import { z } from "zod";
import { armId, armList } from "../contracts/surface.ts";

export const ExperimentArm = z.object({
  id: armId,
  /** Relative share of traffic; shares are normalised over the arms. */
  weight: z.number().positive(),
  /**
   * The bandit policy (or surface configuration) the arm serves, named by the same rules as arms; absent
   * means the surface's default.
   */
  policy: armId.optional(),
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

export const Experiment = z.object({
  /** Part of the hash: a new id reshuffles users, the same id keeps everyone where they were. */
  id: armId,
  surface: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
  arms: armList(ExperimentArm),
});
export type Experiment = z.infer<typeof Experiment>;
