/**
 * What /score and /predict check before running a dense model: a stored user's vector as its input, and
 * an input of the model's width. Refusals are thrown as ApiErrors, which the app's onError answers.
 */
import type { Context } from "hono";
import { ApiError, type Manifest, type ModelEntry } from "../../models/contracts/index.ts";
import { ownEntry } from "../../models/own-entry.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { spanTimer } from "../http/span-timer.ts";
import { timed } from "../runtime/span-timer.ts";
import { manifestRelease } from "../store/feature-release.ts";
import { float32InputProblem } from "./dense-input.ts";

/**
 * The user's vector for `entry` (its featureVector, else its name) in the manifest's release, read as
 * the "features" span: 404 when the user or the vector is missing, 422 when a value is no float32.
 */
export async function storedUserVector(
  c: Context<EdgeContext>,
  manifest: Manifest | null,
  entry: ModelEntry,
  userId: string,
): Promise<Float32Array> {
  const { state } = c.var;
  const user = await timed(spanTimer(c), "features", () =>
    state.features.user(c.env.FEATURES, userId, manifestRelease(manifest)),
  );
  if (!user) {
    throw new ApiError(404, "user_not_found", `no features for user '${userId}'`);
  }
  const vectorName = entry.featureVector ?? entry.name;
  const stored = ownEntry(user.vectors, vectorName);
  if (!stored) {
    throw new ApiError(404, "features_not_found", `user '${userId}' has no '${vectorName}' vector`);
  }
  const problem = float32InputProblem(stored, `user '${userId}' stored vector`);
  if (problem) {
    throw new ApiError(422, "stored_vector_invalid", problem);
  }
  return Float32Array.from(stored);
}

/** Refuses (422) an input that is not `width` values long, the width `entry` takes. */
export function requireInputWidth(entry: ModelEntry, width: number, input: ArrayLike<number>): void {
  if (input.length !== width) {
    throw new ApiError(
      422,
      "feature_length_mismatch",
      `model '${entry.name}' takes ${width} features; got ${input.length}`,
    );
  }
}
