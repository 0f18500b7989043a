import { describe, expect, it } from "vitest";
import {
  isStoreUnreachable,
  StoreUnreachableError,
  writeIsolatingRefusals,
} from "../../../../origin/ingest/store/index.ts";

const withCode = (message: string, code: string | number, name = "Error") =>
  Object.assign(new Error(message), { code, name });

describe("isStoreUnreachable", () => {
  it("calls connection, timeout, shutdown and race errors retryable", () => {
    for (const error of [
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("read ECONNRESET", "ECONNRESET"),
      withCode("terminating connection due to administrator command", "57P01"),
      withCode("the database system is starting up", "57P03"),
      withCode("canceling statement due to statement timeout", "57014"),
      withCode("could not serialize access", "40001"),
      withCode("deadlock detected", "40P01"),
      withCode("connection failure", "08006"),
      new Error("Connection terminated unexpectedly"),
      new Error("PGlite is closed"),
      Object.assign(new Error("server selection timed out"), { name: "MongoServerSelectionError" }),
      withCode("not primary", 10107, "MongoServerError"),
      new Error("wrapped", { cause: withCode("reset", "ECONNRESET") }),
    ]) {
      expect(isStoreUnreachable(error), error.message).toBe(true);
    }
  });

  it("calls refusals that would repeat on retry deterministic", () => {
    for (const error of [
      withCode("invalid input syntax for type json", "22P02"),
      withCode("unsupported Unicode escape sequence", "22P05"),
      withCode("duplicate key value violates unique constraint", "23505"),
      withCode("index row size exceeds btree version 4 maximum", "54000"),
      new RangeError("Maximum call stack size exceeded"),
      new TypeError("Do not know how to serialize a BigInt"),
      withCode("BSONObj size is invalid", 10334, "MongoServerError"),
      new Error("value too long"),
    ]) {
      expect(isStoreUnreachable(error), error.message).toBe(false);
    }
  });
});

describe("writeIsolatingRefusals", () => {
  it("finds the refused records by halving and keeps every other write", async () => {
    const refused = new Set([3, 11]);
    const calls: number[][] = [];
    const outcome = await writeIsolatingRefusals(
      16,
      async (positions) => {
        calls.push(positions);
        if (positions.some((p) => refused.has(p))) {
          throw withCode("invalid input syntax", "22P02");
        }
        return positions.length;
      },
      async () => true,
    );
    expect(outcome.refused.map((r) => r.position)).toEqual([3, 11]);
    expect(outcome.stored.flatMap((s) => s.positions).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, p) => p).filter((p) => !refused.has(p)),
    );
    // 2·log2(16) attempts per bad record at most, plus the whole batch.
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * 2 * 4);
  });

  it("gives up with StoreUnreachableError when the store cannot be reached, or no longer answers", async () => {
    await expect(
      writeIsolatingRefusals(
        4,
        () => Promise.reject(withCode("reset", "ECONNRESET")),
        async () => true,
      ),
    ).rejects.toBeInstanceOf(StoreUnreachableError);
    await expect(
      writeIsolatingRefusals(
        4,
        () => Promise.reject(new Error("odd failure")),
        async () => false,
      ),
    ).rejects.toBeInstanceOf(StoreUnreachableError);
  });
});
