import { invalidArgument } from '../../kernel/domain-errors.js';
import { validateDestinationUrl, type DestinationPolicy } from './validate-destination-url.js';

/** The destination policy as services and routes pass it around. */
export type UrlPolicy = DestinationPolicy;

/**
 * Validates a destination URI against the SSRF policy, and throws InvalidArgument naming `field`
 * and the reason. Returns the normalized URL.
 *
 * @example
 * checkUri('http://10.0.0.1/hook', { requireHttps: false, allowPrivate: false }, 'uris[0]');   // throws
 */
export function checkUri(uri: string, policy: UrlPolicy, field = 'uri'): string {
  const result = validateDestinationUrl(uri, policy);
  if (!result.ok) throw invalidArgument(`${field} "${uri.slice(0, 200)}" is not allowed: ${result.reason}`, field);
  return result.url.toString();
}
