/**
 * `herald keys create|list|revoke`: the project's API keys.
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import type { ApiKey } from '@herald/contracts';
import { ApiError } from '../client.js';
import { CliError } from '../errors.js';
import { when } from '../ui/present.js';
import { renderFields } from '../ui/table.js';
import { clean, formatRelative } from '../ui/text.js';
import { connect, examples } from './shared.js';

function createCommand() {
  return new Command('create')
    .description('Create an API key for this project; prints the key once')
    .option('--name <name>', 'what the key is for, e.g. ci or dashboard')
    .addHelpText(
      'after',
      `
Only the key's SHA-256 is stored: it cannot be shown again. --json prints the key's metadata with
"key".
${examples('herald keys create --name ci', 'herald keys create --name ci --json | jq -r .key')}`,
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const k = await client.createApiKey(opts.name ?? '');
      const { c } = out;
      out.result(k, () =>
        [
          c.green(`Created API key ${clean(k.id)}${k.name ? ` (${clean(k.name)})` : ''}`),
          '',
          `${c.bold('API key')}  ${clean(k.key)}`,
        ].join('\n'),
      );
      out.warn('Store the key now: it is shown only this once. Lost it? Revoke it and create another.');
      out.hint(`Use it: export HERALD_API_KEY=${k.prefix}…   or   herald login --api-key <key>`);
    });
}

function listCommand() {
  return new Command('list')
    .description("List the project's API keys (metadata only), revoked ones included")
    .addHelpText(
      'after',
      examples('herald keys list', 'herald keys list --json | jq ".api_keys[] | select(.revoke_time == null)"'),
    )
    .action(async (_opts, cmd) => {
      const { client, out } = connect(cmd);
      const list = await client.listApiKeys();
      const { c } = out;
      out.result(list, () =>
        out.table(list.api_keys, [
          { header: 'ID', value: (k: ApiKey) => k.id },
          { header: 'NAME', value: (k) => k.name || '-', max: 32 },
          { header: 'PREFIX', value: (k) => `${k.prefix}…` },
          {
            header: 'STATE',
            value: (k) => (k.revoke_time !== undefined ? 'revoked' : 'active'),
            style: (t, k) => (k.revoke_time !== undefined ? c.dim(t) : c.green(t)),
          },
          { header: 'CREATED', value: (k) => formatRelative(k.create_time) },
          { header: 'REVOKED', value: (k) => (k.revoke_time !== undefined ? formatRelative(k.revoke_time) : '-') },
        ]),
      );
    });
}

function revokeCommand() {
  return new Command('revoke')
    .description('Revoke an API key now (requests with it are refused from then on)')
    .argument('<id>', 'key id (key_…; see herald keys list)')
    .option('--force', 'also when it is the key this command runs with (you lose access with it)')
    .addHelpText(
      'after',
      `
Herald refuses to revoke the key the request is made with, so you cannot lock yourself out by
accident; revoke it with another key, or pass --force. --json prints the revoked key's metadata.
${examples('herald keys revoke key_01m8cf…', 'herald keys revoke key_01m8cf… --force')}`,
    )
    .action(async (keyId, opts, cmd) => {
      const { client, out } = connect(cmd);
      let k: ApiKey;
      try {
        k = await client.revokeApiKey(keyId, opts.force === true);
      } catch (err) {
        if (err instanceof ApiError && err.status === 'FAILED_PRECONDITION') {
          throw new CliError(
            `${keyId} is the key this command runs with: revoking it would lock you out. ` +
              'Run the command with another key (--api-key), or add --force if that is what you want',
          );
        }
        throw err;
      }
      const { c } = out;
      out.result(k, () =>
        [
          c.green(`Revoked API key ${clean(k.id)}${k.name ? ` (${clean(k.name)})` : ''}`),
          renderFields(
            [
              ['Prefix', `${clean(k.prefix)}…`],
              ['Created', when(k.create_time, c)],
              ['Revoked', when(k.revoke_time, c)],
            ],
            c.dim,
          ),
        ].join('\n'),
      );
    });
}

/** The `keys` command group. */
export function keysCommand(): Command {
  return new Command('keys')
    .description("Create, list and revoke the project's API keys")
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(revokeCommand())
    .addHelpText(
      'after',
      examples('herald keys create --name ci', 'herald keys list', 'herald keys revoke key_01m8cf…'),
    );
}
