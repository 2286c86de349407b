/**
 * What every resource command needs: the global options, an {@link Output}, a connected
 * {@link HeraldClient}, option parsers and paging.
 * @module
 */

import { InvalidArgumentError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { HeraldClient } from '../client.js';
import { UsageError } from '../errors.js';
import { resolveConnection, type Connection } from '../settings.js';
import { createOutput, type Output } from '../ui/output.js';
import { VERSION } from '../version.js';

/** The options defined on the program, valid after any subcommand too. */
export interface GlobalOptions {
  url: string | undefined;
  urlFromEnv: boolean;
  apiKey: string | undefined;
  apiKeyFromEnv: boolean;
  adminKey: string | undefined;
  adminKeyFromEnv: boolean;
  /** `--project <id>`: act on that project with the admin key (header `x-herald-project`). */
  project: string | undefined;
  json: boolean;
  color: boolean;
}

export function rootOf(cmd: CommandUnknownOpts): CommandUnknownOpts {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/** Reads the global options from the root command. */
export function globalOptions(cmd: CommandUnknownOpts): GlobalOptions {
  const root = rootOf(cmd);
  const o = root.opts();
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    url: str(o.url),
    urlFromEnv: root.getOptionValueSource('url') === 'env',
    apiKey: str(o.apiKey),
    apiKeyFromEnv: root.getOptionValueSource('apiKey') === 'env',
    adminKey: str(o.adminKey),
    adminKeyFromEnv: root.getOptionValueSource('adminKey') === 'env',
    project: str(o.project),
    json: o.json === true,
    color: o.color !== false,
  };
}

/** The output of a command, honouring `--json` and `--no-color`. */
export function outputOf(cmd: CommandUnknownOpts): Output {
  const g = globalOptions(cmd);
  return createOutput({ json: g.json, color: g.color });
}

/** Where to connect, without requiring a key (for `login`). */
export function connectionOf(cmd: CommandUnknownOpts): Connection {
  return resolveConnection(globalOptions(cmd));
}

/** The hint under a `403 PERMISSION_DENIED` answered to a project key. */
export const ADMIN_KEY_HINT =
  'this needs the admin key: pass --admin-key or set HERALD_ADMIN_KEY (`herald serve` prints it and saves it in .herald/admin-key)';

/** A client sending the project API key (or none: `jwks show`). */
export function clientFor(connection: Connection): HeraldClient {
  return new HeraldClient({
    url: connection.url,
    apiKey: connection.apiKey,
    userAgent: `herald-cli/${VERSION}`,
    authHint: `${connection.describeKeySource()}; pass --api-key, set HERALD_API_KEY or run \`herald login\``,
    permissionHint: connection.apiKey === undefined ? undefined : ADMIN_KEY_HINT,
  });
}

/**
 * A client sending the admin key, with `x-herald-project: <project>` when a project is named;
 * fails with exit 2, naming every place it looked, when there is no admin key.
 */
export function adminClientFor(connection: Connection, project?: string): HeraldClient {
  if (connection.adminKey === undefined) {
    throw new UsageError(
      `no admin key (looked at ${connection.adminKeyLookedAt}): pass --admin-key, set HERALD_ADMIN_KEY, ` +
        'or run `herald login --admin-key <key>` (`herald serve` prints the admin key and saves it in .herald/admin-key)',
    );
  }
  const authHint = `${connection.describeAdminKeySource()}; pass --admin-key or set HERALD_ADMIN_KEY`;
  return new HeraldClient({
    url: connection.url,
    apiKey: connection.adminKey,
    userAgent: `herald-cli/${VERSION}`,
    authHint,
    // The server took the key but it is not the admin key: a project key given as --admin-key.
    permissionHint: `this needs the admin key (ha_…), not a project key: ${authHint}`,
    ...(project !== undefined ? { headers: { [PROJECT_HEADER]: project } } : {}),
  });
}

/** The header naming the project of an admin request on an un-prefixed route. */
export const PROJECT_HEADER = 'x-herald-project';

/**
 * A client for an authenticated command: the project API key, or with `--project <id>` the admin
 * key acting on that project. Fails with exit 2 when the key it needs is not configured.
 */
export function connect(cmd: CommandUnknownOpts): { client: HeraldClient; out: Output; connection: Connection } {
  const out = outputOf(cmd);
  const connection = connectionOf(cmd);
  const { project } = globalOptions(cmd);
  if (project !== undefined) return { client: adminClientFor(connection, project), out, connection };
  if (connection.apiKey === undefined) {
    throw new UsageError(
      'no API key: pass --api-key, set HERALD_API_KEY, or run `herald login --api-key <key>` ' +
        '(`herald serve` prints the key and saves it in .herald/api-key)',
    );
  }
  return { client: clientFor(connection), out, connection };
}

/** A client for an admin-plane command (the admin key; `--project` is ignored, the command names its project). */
export function connectAdmin(cmd: CommandUnknownOpts, project?: string): { client: HeraldClient; out: Output } {
  return { client: adminClientFor(connectionOf(cmd), project), out: outputOf(cmd) };
}

/** Parses an integer option in [min, max]; commander reports the error (exit 2). */
export function intOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}

/** Collects comma-separated values across repeated flags: `--events a,b --events c`. */
export function listOption(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...(previous ?? []), ...items];
}

/** Collects repeated flags: `--secret a --secret b`. */
export function repeatOption(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Paging flags of the list commands. */
export interface PageFlags {
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  all?: boolean | undefined;
}

type PageOf<K extends string, T> = { [P in K]: T[] } & { next_page_token?: string };

/**
 * Fetches one page, or every page with `--all`. The result has the API's list shape: the items
 * under `key`, and `next_page_token` when there are more.
 */
export async function fetchPages<K extends string, T>(
  key: K,
  flags: PageFlags,
  fetchPage: (page: { pageSize: number | undefined; pageToken: string | undefined }) => Promise<PageOf<K, T>>,
): Promise<PageOf<K, T>> {
  if (flags.all && flags.pageToken !== undefined) throw new UsageError('--all and --page-token cannot be combined');
  let page = await fetchPage({ pageSize: flags.pageSize, pageToken: flags.pageToken });
  if (!flags.all) return page;
  const items: T[] = [...page[key]];
  while (page.next_page_token) {
    page = await fetchPage({ pageSize: flags.pageSize, pageToken: page.next_page_token });
    items.push(...page[key]);
  }
  return { [key]: items } as PageOf<K, T>;
}

/** The hint printed under a page that has more. */
export function moreHint(out: Output, page: { next_page_token?: string }, command: string): void {
  if (page.next_page_token) {
    out.hint(`more: ${command} --page-token ${page.next_page_token}   (or --all)`);
  }
}

/** Examples block for `.addHelpText('after', …)`. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith('#') ? `  ${l}` : `  $ ${l}`)).join('\n')}`;
}
