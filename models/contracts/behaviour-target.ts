/**
 * What the behaviour model predicts: the business's own target, set by the operator (BEHAVIOUR_TARGET,
 * `edgewise train --behaviour-target`), in one of two forms:
 * - `event:TYPE:Nd`: whether the user has an event of TYPE (view, click, add_to_cart, purchase, rating,
 *   review) in the N days after a cut-off. Training puts the cut-off N days before the window's end and
 *   learns from what was known before it; serving asks about the N days after now. `event:purchase:7d`
 *   (the default) is "buys within a week".
 * - `attribute:NAME` or `attribute:NAME=V1,V2`: a user attribute the business sets (`churned`,
 *   `plan=premium`). Without values, true/yes/y/1 (any case, or the boolean or number) are positive and
 *   false/no/n/0 negative; with values, those values (any case) are positive and any other value negative.
 *   Users without the attribute (or with an unreadable one) are left out of training and still scored.
 * The origin's configuration parses it with BehaviourTargetSpec; origin/train/behaviour labels users by it.
 */
import { z } from "zod";
import { INTERACTION_TYPES, type InteractionType } from "./event.ts";

export type BehaviourTarget =
  | { kind: "event"; type: InteractionType; horizonDays: number }
  | { kind: "attribute"; name: string; positive: readonly string[] | null };

export const DEFAULT_BEHAVIOUR_TARGET = "event:purchase:7d";

export class BehaviourTargetError extends Error {}

const FORMS = "event:TYPE:Nd (e.g. event:purchase:7d) or attribute:NAME[=V1,V2] (e.g. attribute:churned)";

export function parseBehaviourTarget(spec: string): BehaviourTarget {
  const text = spec.trim();
  const event = /^event:([a-z_]+):(\d{1,4})d$/.exec(text);
  if (event) {
    const type = event[1] as InteractionType;
    if (!INTERACTION_TYPES.includes(type)) {
      throw new BehaviourTargetError(
        `behaviour target '${spec}': unknown event type '${type}'; one of ${INTERACTION_TYPES.join(", ")}`,
      );
    }
    const horizonDays = Number(event[2]);
    if (horizonDays < 1) {
      throw new BehaviourTargetError(`behaviour target '${spec}': the horizon must be at least 1 day`);
    }
    return { kind: "event", type, horizonDays };
  }
  const attribute = /^attribute:([^=\s]{1,64})(?:=(.+))?$/.exec(text);
  if (attribute) {
    const positive = attribute[2]?.split(",").map((value) => value.trim().toLowerCase());
    if (positive?.some((value) => value === "")) {
      throw new BehaviourTargetError(`behaviour target '${spec}': an empty value in the list`);
    }
    return { kind: "attribute", name: attribute[1]!, positive: positive ?? null };
  }
  throw new BehaviourTargetError(`behaviour target '${spec}' is not ${FORMS}`);
}

/** The target in words, for reports and notes ("purchase within 7 days", "churned = yes"). */
export function describeBehaviourTarget(target: BehaviourTarget): string {
  if (target.kind === "event") {
    return `${target.type} within ${target.horizonDays} day${target.horizonDays === 1 ? "" : "s"}`;
  }
  return target.positive ? `${target.name} in {${target.positive.join(", ")}}` : `${target.name} is true`;
}

/** The text form, parsed: what BEHAVIOUR_TARGET and `--behaviour-target` go through. */
export const BehaviourTargetSpec = z.string().transform((text, context): BehaviourTarget => {
  try {
    return parseBehaviourTarget(text);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
