/**
 * Names of the policies that log decisions. A surface's POST /rank bandit is `<surface>`, or
 * `<surface>.<arm>` for an experiment arm (each arm learns only from its own decisions, so that the arms
 * stay independent). GET /recommendations logs under `engine:<surface>[.<arm>]`: the decision engine is
 * trained elsewhere, so the learning job must never mistake its decisions for a bandit's. Surface slugs
 * hold no '.' and no id holds ':', so the names cannot collide.
 */

export function banditPolicyId(surface: string, arm: string | null): string {
  return arm === null ? surface : `${surface}.${arm}`;
}

export function enginePolicyId(surface: string, arm: string | null): string {
  return `engine:${banditPolicyId(surface, arm)}`;
}

/** Whether `policyId` names the POST /rank bandit of `surface` (or of one of its arms). */
export function isBanditPolicyOf(policyId: string, surface: string): boolean {
  return policyId === surface || (policyId.startsWith(`${surface}.`) && policyId.length > surface.length + 1);
}
