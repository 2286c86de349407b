import { isIP } from 'node:net';
import { checkAddress } from './ssrf-guard.js';

/** Longest destination URL accepted. */
export const MAX_DESTINATION_URL_LENGTH = 2048;

/** Policy for destination URLs (derived from `HERALD_ENV` and `HERALD_ALLOW_PRIVATE_NETWORKS`). */
export interface DestinationPolicy {
  /** Production: only `https://` destinations. */
  requireHttps: boolean;
  /** Allow loopback/private IP literals and `localhost`. */
  allowPrivate: boolean;
}

/** Result of {@link validateDestinationUrl}; `reason` is a user-facing sentence saying what to fix. */
export type DestinationCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Checks a webhook destination URL at registration time (static webhooks and `webhook_config.uris`).
 * It catches obvious mistakes and IP literals early, with a clear message; the guarded connector
 * remains the enforcing check at connect time (DNS can change after registration).
 *
 * Rejects: more than 2048 characters, whitespace, unparseable or relative URLs, schemes other than
 * http/https, `http:` when https is required, credentials (`user:pass@`), fragments (`#…`), IP
 * literals in a blocked range (after WHATWG normalisation, so `http://2130706433` and
 * `http://[::ffff:127.0.0.1]` are seen as 127.0.0.1), and `localhost` / `*.localhost` when private
 * networks are blocked.
 *
 * @example
 * const check = validateDestinationUrl(body.uri, { requireHttps: env === 'production', allowPrivate });
 * if (!check.ok) throw badRequest(`uri: ${check.reason}`);
 */
export function validateDestinationUrl(raw: string, policy: DestinationPolicy): DestinationCheck {
  if (raw.length > MAX_DESTINATION_URL_LENGTH) {
    return fail(`URL is ${raw.length} characters long; the maximum is ${MAX_DESTINATION_URL_LENGTH}`);
  }
  if (/\s/.test(raw)) return fail('URL must not contain whitespace');
  if (!URL.canParse(raw)) return fail('not an absolute URL; expected e.g. https://example.com/webhooks');
  const url = new URL(raw);

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`scheme "${url.protocol.slice(0, -1)}" is not allowed; use https:// (or http:// in development)`);
  }
  if (policy.requireHttps && url.protocol !== 'https:') return fail('https:// is required for webhook destinations');
  if (url.username !== '' || url.password !== '') {
    return fail('URL must not contain credentials (user:password@); authenticate with the webhook signature instead');
  }
  if (raw.includes('#')) return fail('URL must not contain a fragment (#…)');
  if (url.hostname === '') return fail('URL has no host');

  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0) {
    const check = checkAddress(host, policy);
    if (!check.allowed) {
      const why = policy.allowPrivate ? '' : ' (private networks are not allowed on this server)';
      return fail(`host ${url.hostname} is a ${check.range} address, which is not an allowed destination${why}`);
    }
  } else if (!policy.allowPrivate && isLocalhostName(host)) {
    return fail(`host ${host} is not an allowed destination (private networks are not allowed on this server)`);
  }
  return { ok: true, url };
}

function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function fail(reason: string): DestinationCheck {
  return { ok: false, reason };
}
