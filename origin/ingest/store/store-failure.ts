/**
 * Whether a store failure is worth retrying: the store could not be reached or was shutting down, timed
 * out, ran out of resources, or lost a race (serialization failure, deadlock). Anything else (a value the
 * database refuses, a serialization error in our code) fails the same way every time it is sent, so the
 * caller must not answer 503 with Retry-After for it: it isolates the record and rejects it instead.
 */

/** Socket and DNS errors Node reports by `code`. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_SOCKET_CLOSED",
]);

/** SQLSTATE classes and codes that say "try again": connection (08), resources (53), operator (57P), races. */
function transientSqlState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code.startsWith("53") ||
    code.startsWith("57P") ||
    code === "57014" || // query_canceled: a statement timeout
    code === "40001" || // serialization_failure
    code === "40P01" // deadlock_detected
  );
}

/** The MongoDB driver's error classes for an unreachable or closed server. */
const MONGO_UNREACHABLE = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoTopologyClosedError",
  "MongoNotConnectedError",
  "MongoServerClosedError",
  "MongoPoolClearedError",
]);

/** MongoDB server codes for a server that is stepping down, shutting down or cannot reach its peers. */
const MONGO_TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);
const MONGO_TRANSIENT_LABELS = ["RetryableWriteError", "TransientTransactionError"];

/** Drivers that report a lost connection only in words (pg's "Connection terminated", PGlite's "is closed"). */
const UNREACHABLE_WORDS = /connect|terminat|timed? ?out|socket|closed|unavailable|shutting down/i;

export function isStoreUnreachable(error: unknown, causes = 0): boolean {
  if (error === null || typeof error !== "object") {
    return false;
  }
  const { code, name, message, errorLabels } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    errorLabels?: unknown;
  };
  if (typeof name === "string" && MONGO_UNREACHABLE.has(name)) {
    return true;
  }
  if (Array.isArray(errorLabels) && errorLabels.some((label) => MONGO_TRANSIENT_LABELS.includes(label))) {
    return true;
  }
  if (typeof code === "number" && name === "MongoServerError") {
    return MONGO_TRANSIENT_CODES.has(code);
  }
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code)) {
      return true;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) {
      return transientSqlState(code);
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && causes < 4 && isStoreUnreachable(cause, causes + 1)) {
    return true;
  }
  // A RangeError or TypeError (stack overflow, bad serialization) is ours and deterministic, whatever it says.
  if (error instanceof RangeError || error instanceof TypeError || error instanceof SyntaxError) {
    return false;
  }
  return typeof message === "string" && UNREACHABLE_WORDS.test(message);
}
