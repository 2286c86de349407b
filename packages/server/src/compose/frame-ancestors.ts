import { ConfigError } from '../kernel/config-error.js';

/** One CSP frame-ancestors source Herald accepts: 'self', 'none', or a scheme + host (+ port) origin. */
const FRAME_SOURCE = /^(?:'self'|'none'|https?:\/\/(?:(?:\*\.)?[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?)$/i;

/**
 * `HERALD_PORTAL_FRAME_ANCESTORS`: space-separated origins (`https://app.example.com`,
 * `https://*.example.com`) or `'self'` / `'none'`; default `'self'`. Anything else (a path, a
 * `;`) is refused, so the value cannot add other CSP directives.
 */
export function frameAncestors(value: string | undefined): string {
  const parts = (value ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "'self'";
  for (const p of parts) {
    if (!FRAME_SOURCE.test(p))
      throw new ConfigError(
        `HERALD_PORTAL_FRAME_ANCESTORS: "${p}" is not an origin: use space-separated origins like https://app.example.com (no path), or 'self' or 'none'`,
      );
  }
  if (parts.includes("'none'") && parts.length > 1)
    throw new ConfigError(`HERALD_PORTAL_FRAME_ANCESTORS: 'none' cannot be combined with origins`);
  return parts.join(' ');
}
