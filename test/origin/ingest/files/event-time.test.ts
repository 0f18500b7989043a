import { describe, expect, it } from "vitest";
import { EVENT_LIMITS } from "../../../../models/contracts/index.ts";
import { parseEventTime } from "../../../../origin/ingest/files/index.ts";

const auto = { format: "auto" } as const;

describe("event times from files", () => {
  it("tells epoch seconds from milliseconds by magnitude, at the contract's first valid millisecond", () => {
    expect(parseEventTime("964982703", auto)).toBe(964_982_703_000);
    expect(parseEventTime("964982703.5", auto)).toBe(964_982_703_500);
    expect(parseEventTime("964982703000", auto)).toBe(964_982_703_000);
    expect(parseEventTime(964_982_703, auto)).toBe(964_982_703_000);
    expect(parseEventTime(1_700_000_000_000n, auto)).toBe(1_700_000_000_000);
    // 1e11 is the first epoch-ms time the contract accepts; just below it is seconds, far in the future
    expect(parseEventTime(String(EVENT_LIMITS.tsMinMs), auto)).toBe(EVENT_LIMITS.tsMinMs);
    expect(parseEventTime(String(EVENT_LIMITS.tsMinMs - 1), auto)).toMatch(/outside 1973-03-03 … 2100-01-01/);
  });

  it("reads epoch numbers in the unit it is told, and refuses what that unit puts out of range", () => {
    expect(parseEventTime("1700000000", { format: "s" })).toBe(1_700_000_000_000);
    expect(parseEventTime("1700000000000", { format: "ms" })).toBe(1_700_000_000_000);
    expect(parseEventTime("1700000000", { format: "ms" })).toMatch(/outside/);
    expect(parseEventTime("2024-01-01", { format: "s" })).toMatch(/not an epoch number in seconds/);
    expect(parseEventTime("1700000000", { format: "iso" })).toMatch(/not an ISO-8601/);
    expect(parseEventTime(1_700_000_000, { format: "iso" })).toMatch(/a number, not ISO-8601/);
  });

  it("reads ISO-8601 with any zone spelling, and a date alone as midnight UTC", () => {
    const at = Date.UTC(2024, 4, 1, 10, 30, 0);
    for (const text of [
      "2024-05-01T10:30:00Z",
      "2024-05-01T10:30Z",
      "2024-05-01 10:30:00 UTC",
      "2024-05-01T12:30:00+02:00",
      "2024-05-01T12:30:00+0200",
      "2024-05-01T12:30:00+02",
      "2024-05-01T05:30:00-05:00",
      " 2024-05-01T10:30:00.000Z ",
    ]) {
      expect(parseEventTime(text, auto), text).toBe(at);
    }
    expect(parseEventTime("2024-05-01T10:30:00,250Z", auto)).toBe(at + 250);
    expect(parseEventTime("1997-12-31", auto)).toBe(Date.UTC(1997, 11, 31));
    expect(parseEventTime(new Date(at), auto)).toBe(at);
  });

  it("refuses a date-time without a zone unless told to read it as UTC", () => {
    expect(parseEventTime("2024-05-01 10:30:00", auto)).toMatch(/no time zone .*--assume-utc/);
    expect(parseEventTime("2024-05-01 10:30:00", { format: "auto", assumeUtc: true })).toBe(
      Date.UTC(2024, 4, 1, 10, 30),
    );
  });

  it("says why a cell is not a time", () => {
    expect(parseEventTime("", auto)).toBe("the time is empty");
    expect(parseEventTime(null, auto)).toBe("the time is empty");
    expect(parseEventTime("yesterday", auto)).toMatch(
      /'yesterday' is not an ISO-8601 date-time or an epoch number/,
    );
    expect(parseEventTime("2024-13-45T00:00:00Z", auto)).toMatch(/not a valid date/);
    expect(parseEventTime("2150-01-01T00:00:00Z", auto)).toMatch(/outside/);
    expect(parseEventTime(Number.NaN, auto)).toMatch(/not a finite number/);
    expect(parseEventTime(true, auto)).toMatch(/not text or a number/);
  });
});
