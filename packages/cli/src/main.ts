#!/usr/bin/env node
/**
 * The `herald` executable: runs the program and maps every outcome to an exit code
 * (0 ok, 1 failure, 2 usage) with a message on stderr that says what to do.
 * @module
 */

import { CommanderError } from '@commander-js/extra-typings';
import { ApiError } from './client.js';
import { CliError, EXIT } from './errors.js';
import { buildProgram } from './program.js';

// `herald … | head` closes stdout early: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed the message (or the help / version).
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof CliError) {
    process.stderr.write(`herald: ${err.message}\n`);
    if (err instanceof ApiError && err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`herald: unexpected error: ${message}\n`);
  if (process.env.HERALD_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(set HERALD_DEBUG=1 for the stack trace, and report it if it persists)\n');
  return EXIT.failure;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}
