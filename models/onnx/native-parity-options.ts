/**
 * Session options that make onnxruntime-node compute what onnxruntime-web computes for our int8 graphs.
 *
 * Why this exists: at its default optimization level (ORT_ENABLE_ALL, 1.30) native ORT rewrites a
 * DequantizeLinear(int8, per-column) → MatMul pair into com.microsoft MatMulNBits(bits=8) with
 * accuracy_level 4, which also quantizes the *activations* to int8 per block. That moved our demo behaviour
 * scores by 3.2e-3 against the dequantized-weight math, while ORT-web (no such kernel) matches it to 1e-7.
 * Accuracy level 1 keeps the fused kernel but computes in float32, so the origin's offline evaluation sees
 * the numbers the edge will serve. Plain data (no onnxruntime import), so models/ stays runtime-neutral;
 * pass it to `InferenceSession.create(bytes, NATIVE_PARITY_SESSION_OPTIONS)`.
 */
export const NATIVE_PARITY_SESSION_OPTIONS = {
  extra: { session: { qdq_matmulnbits_accuracy_level: "1" } },
} as const;
