/**
 * Checks around a dense model's run that JSON numbers alone do not give: a finite float64 may still
 * overflow float32 (1e308 becomes Infinity in the model's input tensor), and a model fed extreme but
 * finite values may answer NaN or Infinity, which JSON would print as null.
 */

/** The first value of a model input that is not a finite float32, described; null when all are. */
export function float32InputProblem(values: ArrayLike<number>, what: string): string | null {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isFinite(Math.fround(value))) {
      return `${what}[${i}] is ${value}: model inputs must be finite 32-bit floats (|x| < 3.4e38)`;
    }
  }
  return null;
}

/** Why a model's outputs cannot be answered, or null when every value is finite. */
export function nonFiniteOutputProblem(model: string, values: ArrayLike<number>): string | null {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      return (
        `model '${model}' gave ${values[i]} for this input: its values are too extreme for the model ` +
        "(send values on the scale it was trained on)"
      );
    }
  }
  return null;
}
