/**
 * Errors the CLI turns into exit codes: {@link UsageError} → 2, anything else → 1.
 * Their messages are printed as `herald: <message>`, so they say what to do next.
 * @module
 */

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure with a message for the user and an exit code. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failure, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The command line itself is wrong: a missing or malformed flag, an unreadable input. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
    this.name = 'UsageError';
  }
}
