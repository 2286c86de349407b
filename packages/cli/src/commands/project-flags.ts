/**
 * The flags `projects create` and `projects update` share, and how they become the API's body.
 * @module
 */

import { InvalidArgumentError, Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import type { AdminUpdateProjectRequest } from '@herald/contracts';

/** A limit: a whole number ≥ 1, or `default` (back to the instance default; commander turns a null into ''). */
function limitOption(value: string): number | 'default' {
  if (value === 'default') return 'default';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, or "default", got "${value}".`);
  return n;
}

export interface ProjectFlags {
  name?: string | undefined;
  logoUri?: string | undefined;
  accentColor?: string | undefined;
  eventsPerSecond?: number | 'default' | undefined;
  maxWebhooks?: number | 'default' | undefined;
  dynamicSigning?: 'v1a' | 'jwt' | undefined;
}

/** Adds the project fields to a command (`--name` is added by the caller: required on create). */
export function withProjectFlags<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option('--logo-uri <url>', 'http(s) image URL shown in the portal header ("" removes it)')
    .option('--accent-color <#rrggbb>', 'the portal accent colour ("" removes it)')
    .option('--events-per-second <n>', 'events the project may emit per second, or "default"', limitOption)
    .option('--max-webhooks <n>', 'most webhooks the project may have, or "default"', limitOption)
    .addOption(
      new Option('--dynamic-signing <mode>', 'how deliveries to webhook_config.uris are signed').choices([
        'v1a',
        'jwt',
      ] as const),
    );
}

const orNull = (n: number | 'default') => (n === 'default' ? null : n);

/** The request body of the flags given (and only those: the update mask follows it). */
export function projectBody(f: ProjectFlags): AdminUpdateProjectRequest {
  const branding = {
    ...(f.logoUri !== undefined ? { logo_uri: f.logoUri === '' ? null : f.logoUri } : {}),
    ...(f.accentColor !== undefined ? { accent_color: f.accentColor === '' ? null : f.accentColor } : {}),
  };
  const limits = {
    ...(f.eventsPerSecond !== undefined ? { events_per_second: orNull(f.eventsPerSecond) } : {}),
    ...(f.maxWebhooks !== undefined ? { max_webhooks: orNull(f.maxWebhooks) } : {}),
  };
  return {
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(Object.keys(branding).length > 0 ? { branding } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(f.dynamicSigning !== undefined ? { dynamic_signing: f.dynamicSigning } : {}),
  };
}
