/**
 * `herald login` and `herald logout`: the config file holding the server URL, the API key and the admin key.
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { configPath, removeConfig, writeConfig } from '../settings.js';
import { listProjects } from '../project-api.js';
import { adminClientFor, clientFor, connectionOf, examples, globalOptions, outputOf } from './shared.js';

/** Shows the start and end of a key, never all of it. */
function mask(key: string): string {
  return key.length <= 10 ? '…' : `${key.slice(0, 6)}…${key.slice(-4)}`;
}

export function loginCommand() {
  return new Command('login')
    .description('Save the server URL, API key and admin key for later commands (checks them first)')
    .option('--no-check', 'save without calling the server')
    .addHelpText(
      'after',
      `
Uses the global --url, --api-key and --admin-key (or HERALD_URL, HERALD_API_KEY and
HERALD_ADMIN_KEY); give either key or both. The file is
$XDG_CONFIG_HOME/herald/config.json (default ~/.config/herald/config.json; HERALD_CONFIG overrides),
readable by you only (mode 0600). Flags and environment variables still win over it.
${examples(
  'herald login --url http://127.0.0.1:8080 --api-key hk_…',
  'HERALD_API_KEY=hk_… herald login --url https://herald.example.com',
  'herald login --url http://127.0.0.1:8080 --admin-key ha_…',
)}`,
    )
    .action(async (opts, cmd) => {
      const out = outputOf(cmd);
      const g = globalOptions(cmd);
      const apiKey = g.apiKey || undefined;
      const adminKey = g.adminKey || undefined;
      if (apiKey === undefined && adminKey === undefined) {
        throw new UsageError(
          'herald login needs --api-key <key> (or HERALD_API_KEY), --admin-key <key> (or HERALD_ADMIN_KEY), or both; `herald serve` prints them',
        );
      }
      const connection = connectionOf(cmd);
      if (opts.check) {
        // Any authenticated call proves a key; listing one item is the cheapest.
        if (apiKey !== undefined) await clientFor(connection).listWebhooks({ pageSize: 1 });
        if (adminKey !== undefined) await listProjects(adminClientFor(connection), { pageSize: 1 });
      }
      const path = configPath();
      writeConfig(path, {
        url: connection.url,
        ...(apiKey !== undefined ? { api_key: apiKey } : {}),
        ...(adminKey !== undefined ? { admin_key: adminKey } : {}),
      });
      const saved = [
        ...(apiKey !== undefined ? [`key ${mask(apiKey)}`] : []),
        ...(adminKey !== undefined ? [`admin key ${mask(adminKey)}`] : []),
      ].join(' and ');
      out.result({ url: connection.url, config_path: path }, () =>
        [out.c.green(`Logged in to ${connection.url}`), `Saved the URL and ${saved} in ${path} (mode 0600)`].join('\n'),
      );
      if (!opts.check) out.hint('Not checked against the server (--no-check).');
    });
}

export function logoutCommand() {
  return new Command('logout')
    .description('Remove the config file written by herald login')
    .addHelpText('after', examples('herald logout'))
    .action((_opts, cmd) => {
      const out = outputOf(cmd);
      const path = configPath();
      const removed = removeConfig(path);
      out.result({ config_path: path, removed }, () =>
        removed ? `Removed ${path}` : `Nothing to remove: ${path} does not exist`,
      );
    });
}
