/**
 * The published form of a bandit policy: JSON with the sufficient statistics A (upper triangle) and b as
 * base64 float64. A, not A⁻¹, is published because it is exact and additive (the origin keeps adding
 * batches to it); the edge inverts it once per version: d = 64 takes well under a millisecond, d = 256
 * (the maximum) a few. d = 64 weighs about 23 KB, d = 256 about 350 KB: one KV value either way.
 */
import { z } from "zod";
import { BanditConfig } from "./config.ts";
import { float64FromBase64, float64ToBase64 } from "./float64-base64.ts";
import { type LinearBanditState, refreshLinearState } from "./linear-state.ts";
import type { BanditPolicy } from "./policy.ts";

export const LinearStateJson = z.object({
  format: z.literal("edgewise.linear-bandit"),
  formatVersion: z.literal(1),
  contextDims: z.int().min(1),
  actionDims: z.int().min(1),
  ridge: z.number().positive(),
  examples: z.int().min(0),
  /** A's upper triangle row by row, d(d+1)/2 float64 little-endian, base64. */
  a: z.base64(),
  /** b, d float64 little-endian, base64. */
  b: z.base64(),
});
export type LinearStateJson = z.infer<typeof LinearStateJson>;

export const BanditPolicyFile = z
  .object({
    id: z.string().min(1).max(64),
    version: z.string().min(1).max(64),
    surface: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
    config: BanditConfig,
    parameters: LinearStateJson,
  })
  .refine(
    (f) =>
      f.config.contextDims === f.parameters.contextDims &&
      f.config.actionDims === f.parameters.actionDims &&
      f.config.ridge === f.parameters.ridge,
    { message: "the parameters were trained with other dimensions or another ridge than the config names" },
  );
export type BanditPolicyFile = z.infer<typeof BanditPolicyFile>;

export function linearStateToJson(state: LinearBanditState): LinearStateJson {
  const d = state.dims;
  const upper = new Float64Array((d * (d + 1)) / 2);
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      upper[p++] = state.a[i * d + j]!;
    }
  }
  return {
    format: "edgewise.linear-bandit",
    formatVersion: 1,
    contextDims: state.contextDims,
    actionDims: state.actionDims,
    ridge: state.ridge,
    examples: state.examples,
    a: float64ToBase64(upper),
    b: float64ToBase64(state.b),
  };
}

/** Rebuilds the state and its derived arrays; throws when A is not positive definite (a corrupt file). */
export function linearStateFromJson(json: LinearStateJson): LinearBanditState {
  const d = json.contextDims * json.actionDims;
  const upper = float64FromBase64(json.a, (d * (d + 1)) / 2);
  const a = new Float64Array(d * d);
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      a[i * d + j] = upper[p]!;
      a[j * d + i] = upper[p]!;
      p++;
    }
  }
  const state: LinearBanditState = {
    contextDims: json.contextDims,
    actionDims: json.actionDims,
    dims: d,
    ridge: json.ridge,
    a,
    b: float64FromBase64(json.b, d),
    examples: json.examples,
    aInverse: new Float64Array(d * d),
    theta: new Float64Array(d),
    fresh: false,
  };
  refreshLinearState(state);
  return state;
}

export function banditPolicyToFile(policy: BanditPolicy): BanditPolicyFile {
  return {
    id: policy.id,
    version: policy.version,
    surface: policy.surface,
    config: policy.config,
    parameters: linearStateToJson(policy.state),
  };
}

export function banditPolicyFromFile(input: unknown): BanditPolicy {
  const file = BanditPolicyFile.parse(input);
  return {
    id: file.id,
    version: file.version,
    surface: file.surface,
    config: file.config,
    state: linearStateFromJson(file.parameters),
  };
}

/** The bytes the origin publishes (a KV artifact) and the edge reads. */
export function encodeBanditPolicy(policy: BanditPolicy): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(banditPolicyToFile(policy)));
}

export function decodeBanditPolicy(bytes: Uint8Array): BanditPolicy {
  return banditPolicyFromFile(JSON.parse(new TextDecoder().decode(bytes)));
}
