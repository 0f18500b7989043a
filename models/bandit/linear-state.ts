/**
 * A linear reward model over the joint vector z = x_context ⊗ x_action (index i·actionDims + j), as in
 * LinUCB with shared arms: E[r | x, a] ≈ θᵀz. Its sufficient statistics are A = λI + Σ zzᵀ and
 * b = Σ r·z: exact, additive and independent of the order examples arrive in, so they are what the
 * origin accumulates and publishes. A⁻¹ and θ = A⁻¹b are derived from them (a Cholesky inverse after a
 * batch, or Sherman–Morrison rank-one updates for per-isolate learning at the edge).
 */
import { choleskyInPlace, spdInverse } from "./linalg.ts";

export interface LinearBanditState {
  readonly contextDims: number;
  readonly actionDims: number;
  /** contextDims · actionDims. */
  readonly dims: number;
  readonly ridge: number;
  /** λI + Σ zzᵀ, d×d row-major. */
  readonly a: Float64Array;
  /** Σ r·z. */
  readonly b: Float64Array;
  /** Examples accumulated into a and b. */
  examples: number;
  /** A⁻¹, valid while `fresh`. */
  readonly aInverse: Float64Array;
  /** A⁻¹b, valid while `fresh`. */
  readonly theta: Float64Array;
  /** False after a batch accumulation, until refreshLinearState recomputes the derived arrays. */
  fresh: boolean;
}

export function createLinearState(contextDims: number, actionDims: number, ridge: number): LinearBanditState {
  const dims = contextDims * actionDims;
  const a = new Float64Array(dims * dims);
  const aInverse = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) {
    a[i * dims + i] = ridge;
    aInverse[i * dims + i] = 1 / ridge;
  }
  return {
    contextDims,
    actionDims,
    dims,
    ridge,
    a,
    b: new Float64Array(dims),
    examples: 0,
    aInverse,
    theta: new Float64Array(dims),
    fresh: true,
  };
}

export function cloneLinearState(state: LinearBanditState): LinearBanditState {
  return {
    ...state,
    a: state.a.slice(),
    b: state.b.slice(),
    aInverse: state.aInverse.slice(),
    theta: state.theta.slice(),
  };
}

/** Indices and values of z's non-zeros: contexts and hashed actions are sparse, so updates cost nnz², not d². */
function jointNonZeros(
  state: LinearBanditState,
  context: Float64Array,
  actions: Float64Array,
  actionOffset: number,
): { index: Uint32Array; value: Float64Array } {
  const da = state.actionDims;
  let count = 0;
  const index = new Uint32Array(state.dims);
  const value = new Float64Array(state.dims);
  for (let i = 0; i < state.contextDims; i++) {
    const ci = context[i]!;
    if (ci === 0) {
      continue;
    }
    for (let j = 0; j < da; j++) {
      const v = ci * actions[actionOffset + j]!;
      if (v !== 0) {
        index[count] = i * da + j;
        value[count] = v;
        count++;
      }
    }
  }
  return { index: index.subarray(0, count), value: value.subarray(0, count) };
}

/**
 * Adds one example (context, the action at `actionOffset` in `actions`, reward) to A and b. The derived
 * arrays go stale: call refreshLinearState once after the batch.
 */
export function accumulateExample(
  state: LinearBanditState,
  context: Float64Array,
  actions: Float64Array,
  actionOffset: number,
  reward: number,
): void {
  const { index, value } = jointNonZeros(state, context, actions, actionOffset);
  const d = state.dims;
  for (let p = 0; p < index.length; p++) {
    const row = index[p]! * d;
    const zp = value[p]!;
    for (let q = 0; q < index.length; q++) {
      state.a[row + index[q]!] = state.a[row + index[q]!]! + zp * value[q]!;
    }
    state.b[index[p]!] = state.b[index[p]!]! + reward * zp;
  }
  state.examples++;
  state.fresh = false;
}

/** Recomputes A⁻¹ (Cholesky) and θ from the sufficient statistics: O(d³), once per batch or published version. */
export function refreshLinearState(state: LinearBanditState): void {
  const d = state.dims;
  spdInverse(state.a, d, state.aInverse);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      s += state.aInverse[i * d + k]! * state.b[k]!;
    }
    state.theta[i] = s;
  }
  state.fresh = true;
}

/**
 * One example with the derived arrays kept current in O(d²): Sherman–Morrison for A⁻¹ and the
 * recursive-least-squares step θ ← θ + A⁻¹z·(r − zᵀθ)/(1 + zᵀA⁻¹z). For per-isolate learning between
 * publishes; rounding drifts slowly, which the next published version (inverted from A) resets.
 */
export function updateLinearStateOnline(
  state: LinearBanditState,
  context: Float64Array,
  actions: Float64Array,
  actionOffset: number,
  reward: number,
): void {
  if (!state.fresh) {
    refreshLinearState(state);
  }
  const { index, value } = jointNonZeros(state, context, actions, actionOffset);
  const d = state.dims;
  const u = new Float64Array(d);
  for (let p = 0; p < index.length; p++) {
    const zp = value[p]!;
    const col = index[p]!;
    for (let i = 0; i < d; i++) {
      u[i] = u[i]! + state.aInverse[i * d + col]! * zp;
    }
  }
  let zu = 0;
  let predicted = 0;
  for (let p = 0; p < index.length; p++) {
    zu += value[p]! * u[index[p]!]!;
    predicted += value[p]! * state.theta[index[p]!]!;
  }
  const c = 1 + zu;
  const step = (reward - predicted) / c;
  for (let i = 0; i < d; i++) {
    const ui = u[i]! / c;
    const row = i * d;
    for (let k = 0; k < d; k++) {
      state.aInverse[row + k] = state.aInverse[row + k]! - ui * u[k]!;
    }
    state.theta[i] = state.theta[i]! + u[i]! * step;
  }
  accumulateExample(state, context, actions, actionOffset, reward);
  state.fresh = true;
}

/**
 * What one context makes of the model, so that scoring n actions costs n·da (mean) and n·da² (bonus)
 * instead of n·d²: with z = x⊗y, θᵀz = gᵀy for g = (xᵀ ⊗ I)θ, and zᵀA⁻¹z = yᵀMy for
 * M = (xᵀ ⊗ I)A⁻¹(x ⊗ I). M is also the covariance of g under the posterior, which Thompson sampling uses.
 */
export interface ContextProjection {
  /** da. */
  mean: Float64Array;
  /** da×da, symmetric positive definite. */
  covariance: Float64Array;
}

export function projectContext(state: LinearBanditState, context: Float64Array): ContextProjection {
  if (!state.fresh) {
    refreshLinearState(state);
  }
  const da = state.actionDims;
  const d = state.dims;
  const mean = new Float64Array(da);
  const covariance = new Float64Array(da * da);
  const nonZero: number[] = [];
  for (let i = 0; i < state.contextDims; i++) {
    if (context[i] !== 0) {
      nonZero.push(i);
    }
  }
  for (const i of nonZero) {
    const xi = context[i]!;
    for (let j = 0; j < da; j++) {
      mean[j] = mean[j]! + xi * state.theta[i * da + j]!;
    }
    for (const k of nonZero) {
      const w = xi * context[k]!;
      for (let j = 0; j < da; j++) {
        const row = (i * da + j) * d + k * da;
        const out = j * da;
        for (let l = 0; l < da; l++) {
          covariance[out + l] = covariance[out + l]! + w * state.aInverse[row + l]!;
        }
      }
    }
  }
  return { mean, covariance };
}

/** The lower Cholesky factor of a projection's covariance, for drawing g ~ N(mean, v²·covariance). */
export function covarianceFactor(projection: ContextProjection): Float64Array {
  const da = projection.mean.length;
  const l = projection.covariance.slice();
  try {
    choleskyInPlace(l, da);
  } catch {
    // Rounding can leave a nearly singular projection a hair from positive definite; a jitter far below
    // any posterior variance that matters restores it.
    let trace = 0;
    for (let j = 0; j < da; j++) {
      trace += projection.covariance[j * da + j]!;
    }
    l.set(projection.covariance);
    for (let j = 0; j < da; j++) {
      l[j * da + j] = l[j * da + j]! + 1e-10 * (trace / da) + 1e-300;
    }
    choleskyInPlace(l, da);
  }
  return l;
}
