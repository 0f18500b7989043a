/** One `edgewise` subcommand. Each lives in its own file under commands/ and is loaded on demand. */
export interface Command {
  /** One line for `edgewise --help`. */
  summary: string;
  /** Usage text printed by `edgewise <name> --help` and after a usage error. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad arguments: main prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}
