/**
 * A user's label under an attribute target (models/contracts/behaviour-target.ts says what the forms mean).
 */
import type { BehaviourTarget } from "../../../models/contracts/index.ts";

const TRUE = new Set(["true", "yes", "y", "1"]);
const FALSE = new Set(["false", "no", "n", "0"]);

/** A user's label under an attribute target: 1, 0, or null (no usable value: not a training row). */
export function attributeLabel(
  target: Extract<BehaviourTarget, { kind: "attribute" }>,
  value: unknown,
): 0 | 1 | null {
  if (value === null || value === undefined || value === "" || typeof value === "object") {
    return null;
  }
  const text = String(value).trim().toLowerCase();
  if (target.positive) {
    return target.positive.includes(text) ? 1 : 0;
  }
  if (typeof value === "number") {
    return value === 0 ? 0 : value === 1 ? 1 : null;
  }
  return TRUE.has(text) ? 1 : FALSE.has(text) ? 0 : null;
}
