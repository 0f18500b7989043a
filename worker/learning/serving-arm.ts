/**
 * Which configuration serves a request on a surface: the surface's own, or, when the surface runs an
 * experiment, that of the arm the unit (the user, or the decision for anonymous requests) is assigned to.
 * Assignment is a pure function of the experiment id and the unit id, so every isolate agrees.
 */
import { BanditConfig, banditPolicyId, enginePolicyId } from "../../models/bandit/index.ts";
import type {
  ExperimentRef,
  RecommendationExploration,
  SurfaceConfig,
} from "../../models/contracts/index.ts";
import { assignArm } from "../../models/experiments/index.ts";

export interface ServingArm {
  experiment: ExperimentRef | null;
  /** POST /rank's bandit policy id and configuration. */
  banditPolicyId: string;
  bandit: BanditConfig;
  /** GET /recommendations' logging policy id and exploration. */
  enginePolicyId: string;
  exploration: RecommendationExploration;
}

const defaultBandit = BanditConfig.parse({});

export function servingArm(surface: SurfaceConfig, unitId: string): ServingArm {
  const bandit = surface.bandit ?? defaultBandit;
  if (surface.experiment === undefined) {
    return {
      experiment: null,
      banditPolicyId: banditPolicyId(surface.name, null),
      bandit,
      enginePolicyId: enginePolicyId(surface.name, null),
      exploration: surface.exploration,
    };
  }
  const { id, arms } = surface.experiment;
  const arm = assignArm({ id, arms }, unitId);
  return {
    experiment: { id, arm: arm.id },
    banditPolicyId: banditPolicyId(surface.name, arm.id),
    bandit: arm.bandit ?? bandit,
    enginePolicyId: enginePolicyId(surface.name, arm.id),
    exploration: arm.exploration ?? surface.exploration,
  };
}
