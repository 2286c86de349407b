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

export function clientFor(connection: Connection): HeraldClient {
  return new HeraldClient({
    url: connection.url,
    apiKey: connection.apiKey,
    userAgent: `herald-cli/${VERSION}`,
    authHint: `${connection.describeKeySource()}; pass --api-key, set HERALD_API_KEY or run \`herald login\``,
  });
}

/** A client for an authenticated command; fails with exit 2 when no API key is configured. */
export function connect(cmd: CommandUnknownOpts): { client: HeraldClient; out: Output; connection: Connection } {
  const out = outputOf(cmd);
  const connection = connectionOf(cmd);
  if (connection.apiKey === undefined) {
    throw new UsageError(
      'no API key: pass --api-key, set HERALD_API_KEY, or run `herald login --api-key <key>` ' +
        '(`herald serve` prints the key and saves it in .herald/api-key)',
    );
  }
  return { client: clientFor(connection), out, connection };
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
