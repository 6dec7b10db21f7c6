/**
 * What a command may touch: the environment it runs in and two output streams. Results go
 * to `out`; progress, warnings and errors to `err`, so `encaisse tenants list --json | jq`
 * stays clean.
 */
import { DomainError } from "@encaisse/shared";
import type { Logger } from "../backend";

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A step that may take a while: "opening the database…". */
export function progress(io: CliIo, step: string): void {
  io.err(`… ${step}`);
}

/** The backend's logger in a terminal: warnings and errors as one short line, info dropped. */
export function cliLogger(io: CliIo): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) => {
    const code = typeof fields?.code === "string" ? ` ${fields.code}` : "";
    io.err(`${level}${code}: ${message}`);
  };
  return {
    info: () => undefined,
    warn: (message, fields) => line("warn", message, fields),
    error: (message, fields) => line("error", message, fields),
  };
}

/** Bad command line: exit code 2, with the usage of the command. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** One line a person can act on; a stack trace only for the unexpected, and only on request. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.err(`error USAGE: ${error.message}`);
    io.err(error.usage);
    return EXIT_USAGE;
  }
  if (error instanceof DomainError) {
    io.err(`error ${error.code}: ${error.message}`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error INTERNAL: ${message}`);
  if (io.env.ENCAISSE_DEBUG === "1" && error instanceof Error && error.stack) io.err(error.stack);
  else io.err("(set ENCAISSE_DEBUG=1 to see where it failed)");
  return EXIT_FAILURE;
}
