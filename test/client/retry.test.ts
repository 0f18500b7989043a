import { describe, expect, it } from "vitest";
import { retryAfterMs, retryDelayMs } from "../../client/src/index.ts";
import { resolveRetry } from "../../client/src/retry.ts";

describe("the client's retry delays", () => {
  const retry = (random: number) =>
    resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => random });

  it("grows the jitter's ceiling exponentially, capped at maxDelayMs", () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, retry(0.999), null))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it("draws each wait uniformly below the ceiling (full jitter)", () => {
    expect(retryDelayMs(3, retry(0), null)).toBe(0);
    expect(retryDelayMs(3, retry(0.5), null)).toBe(400);
  });

  it("waits what Retry-After says, in seconds or as an HTTP date, within maxDelayMs", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryDelayMs(0, retry(0.5), "0", now)).toBe(0);
    expect(retryDelayMs(0, retry(0.5), "1", now)).toBe(1000);
    expect(retryDelayMs(0, retry(0.5), "120", now)).toBe(1000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:00 GMT", now - 500)).toBe(500);
  });

  it("falls back to the backoff for an absent or unreadable Retry-After", () => {
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryDelayMs(1, retry(0.5), "soon")).toBe(100);
  });
});
