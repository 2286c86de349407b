#!/usr/bin/env node
import { Command, CommanderError } from '@commander-js/extra-typings';
import { ConfigError } from '@herald/server';
import { serveCommand } from './commands/serve.js';

const program = new Command('herald')
  .description('Herald: long-running operations with signed, event-driven webhooks')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(serveCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`herald: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
