/**
 * The `herald` program: global options and one command group per file in `commands/`.
 * @module
 */

import { Command, Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { deliveriesCommand } from './commands/deliveries.js';
import { demoCommand } from './commands/demo.js';
import { eventsCommand } from './commands/events.js';
import { jwksCommand } from './commands/jwks.js';
import { keysCommand } from './commands/keys.js';
import { listenCommand } from './commands/listen.js';
import { loginCommand, logoutCommand } from './commands/login.js';
import { opsCommand } from './commands/ops.js';
import { portalCommand } from './commands/portal.js';
import { projectsCommand } from './commands/projects.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import { verifyCommand } from './commands/verify.js';
import { webhooksCommand } from './commands/webhooks.js';
import { DEFAULT_URL } from './settings.js';
import { VERSION } from './version.js';

/** Settings every command shares, applied down the tree (`addCommand` does not inherit them). */
function configureTree(cmd: CommandUnknownOpts): void {
  cmd
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'herald: ')) });
  for (const sub of cmd.commands) configureTree(sub);
}

export function buildProgram(): CommandUnknownOpts {
  const program = new Command('herald')
    .description('Herald: long-running operations with signed, event-driven webhooks')
    .version(VERSION)
    .addOption(new Option('--url <url>', `Herald server URL (default ${DEFAULT_URL})`).env('HERALD_URL'))
    .addOption(new Option('--api-key <key>', 'API key, sent as x-goog-api-key').env('HERALD_API_KEY'))
    .addOption(
      new Option('--admin-key <key>', 'admin key, for projects, portal links and --project').env('HERALD_ADMIN_KEY'),
    )
    .option('--project <id>', 'act on this project with the admin key (sent as x-herald-project)')
    .option('--json', 'machine output: exactly the API resource(s) as JSON, no colour')
    .option('--no-color', 'no colours (NO_COLOR=1 also works)')
    .addCommand(serveCommand())
    .addCommand(webhooksCommand())
    .addCommand(eventsCommand())
    .addCommand(deliveriesCommand())
    .addCommand(opsCommand())
    .addCommand(replayCommand())
    .addCommand(jwksCommand())
    .addCommand(keysCommand())
    .addCommand(projectsCommand())
    .addCommand(portalCommand())
    .addCommand(listenCommand())
    .addCommand(demoCommand())
    .addCommand(verifyCommand())
    .addCommand(loginCommand())
    .addCommand(logoutCommand())
    .addHelpText(
      'after',
      `
Connection: flags win over HERALD_URL / HERALD_API_KEY / HERALD_ADMIN_KEY, which win over the config
file written by \`herald login\`; without a key, the CLI uses the api-key (admin-key) file \`herald
serve\` keeps in ./.herald. \`projects\`, \`portal\` and \`jwks rotate\` use the admin key; so does any
command given --project <id>, acting on that project.

Exit status: 0 success, 1 failure (including errors returned by the server), 2 usage error.

Examples:
  $ herald demo                                  # the whole flow in one command
  $ herald serve
  $ herald webhooks create --uri http://127.0.0.1:3000/webhooks --events invoice.ready
  $ herald events emit invoice.ready --data '{"id":"inv_1"}'
  $ herald deliveries list --status failed
  $ herald ops watch batches/9zq…
  $ herald projects create --id acme --name "Acme Corp"
  $ herald --project acme webhooks list
  $ herald listen --forward-to http://localhost:3000/webhooks
  $ herald verify --secret whsec_… --file request.txt

Docs: docs/cli.md`,
    );
  configureTree(program);
  return program;
}
