/**
 * The origin's structured log: JSON lines (pino) on stdout, one per request and one per thing a server
 * does on its own (a scheduled run, a pool error). Shared by every flow, like config.ts. CLI commands
 * still print for people on stdout; this is what `edgewise serve` writes for log collectors.
 *
 * Never a key or a secret: request lines carry chosen fields only (no headers, no bodies), and the
 * paths below are censored wherever a caller puts them into a line by mistake.
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

export const REDACTED_PATHS = [
  "authorization",
  "*.authorization",
  "apiKey",
  "*.apiKey",
  "key",
  "*.key",
  "token",
  "*.token",
  "password",
  "*.password",
  "headers",
  "*.headers",
];

/**
 * A logger at LOG_LEVEL (default `info`; `silent` turns it off), writing to `destination` (default
 * stdout). Lines carry `time` as epoch ms, `level` as a name (`"info"`), and `msg`.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    base: { service: "edgewise-origin" },
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

let processLogger: Logger | null = null;

/** The process's logger, made on first use. */
export function originLog(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

/** An Error as log fields: its message and stack, never its own enumerable properties (a request?). */
export function errorFields(error: unknown): { err: { message: string; stack?: string } } {
  return error instanceof Error
    ? { err: { message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) } }
    : { err: { message: String(error) } };
}
