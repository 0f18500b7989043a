/**
 * Scores users the way the edge does, so offline figures describe what is served: item vectors quantised
 * to int8 per row as the catalogue stores them (models/onnx/quantize.ts), each user's vector quantised the
 * same way, and an int8 dot product times both scales. A user whose vector is all zero (EASE with no head
 * item in the history) has no usable embedding: the edge answers them from popularity, and so does this.
 */
import { quantizePerRow } from "../../../models/onnx/index.ts";
import type { MfModel } from "./ials.ts";
import type { UserScorer } from "./recommender.ts";

export function servedScorer(model: MfModel, popularity: Float32Array): UserScorer {
  const f = model.factors;
  const items = quantizePerRow(model.itemFactors, model.items, f);
  const users = quantizePerRow(model.userFactors, model.users, f);
  return (user, _history, out) => {
    const ub = user * f;
    let zero = true;
    for (let a = 0; a < f && zero; a++) {
      zero = users.data[ub + a] === 0;
    }
    if (zero) {
      out.set(popularity);
      return;
    }
    const userScale = users.scales[user]!;
    for (let i = 0; i < model.items; i++) {
      const ib = i * f;
      let dot = 0;
      for (let a = 0; a < f; a++) {
        dot += items.data[ib + a]! * users.data[ub + a]!;
      }
      out[i] = dot * items.scales[i]! * userScale;
    }
  };
}
