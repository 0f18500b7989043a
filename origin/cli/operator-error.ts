/**
 * Errors that are the operator's to fix rather than bugs: a bad configuration value, a file that can't be
 * read as the format it was named (a missing mapped column, not Parquet), a PGlite directory another
 * process holds, a database or port the configuration names that cannot be used. `edgewise`
 * prints them as one line without a stack trace; anything else is a bug and keeps its stack.
 */
import { ConfigError } from "../config.ts";
import { FileReadError, PgliteLockedError, RunBusyError } from "../ingest/index.ts";

/** Node's codes for a server that is not there or refuses us. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET",
]);
/** Postgres SQLSTATEs for a database the URL names that will not take us: bad password, no such role or database. */
const REFUSED_BY_POSTGRES = new Set(["28P01", "28000", "3D000"]);
const PORT_UNUSABLE = new Set(["EADDRINUSE", "EACCES", "EADDRNOTAVAIL"]);

/** The error and the errors it wraps (cause, AggregateError's errors), a few levels deep. */
function* chain(error: unknown, depth = 0): Generator<Error> {
  if (!(error instanceof Error) || depth > 4) {
    return;
  }
  yield error;
  yield* chain(error.cause, depth + 1);
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      yield* chain(inner, depth + 1);
    }
  }
}

export type OperatorError = { message: string; exitCode: number };

export function operatorError(error: unknown): OperatorError | null {
  if (error instanceof ConfigError) {
    return { message: error.oneLine, exitCode: 2 };
  }
  if (error instanceof FileReadError) {
    return { message: error.message, exitCode: 1 };
  }
  if (error instanceof PgliteLockedError) {
    return { message: error.message, exitCode: 1 };
  }
  if (error instanceof RunBusyError) {
    return { message: error.message, exitCode: 4 };
  }
  for (const inner of chain(error)) {
    const code = (inner as NodeJS.ErrnoException).code;
    if (
      code !== undefined &&
      PORT_UNUSABLE.has(code) &&
      (inner as { syscall?: string }).syscall === "listen"
    ) {
      return { message: `cannot listen: ${inner.message} (choose another PORT or --port)`, exitCode: 1 };
    }
    if (
      (code !== undefined && (UNREACHABLE.has(code) || REFUSED_BY_POSTGRES.has(code))) ||
      inner.name === "MongoServerSelectionError"
    ) {
      return {
        message: `cannot use the database the configuration names (${inner.message}): check DATABASE_URL or MONGODB_URL and that its server runs`,
        exitCode: 1,
      };
    }
  }
  return null;
}
