import ipaddr from 'ipaddr.js';
import type { Logger } from 'pino';
import type { HeraldConfig } from './config.js';

/** True when `host` only accepts connections from this machine (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (!ipaddr.isValid(h)) return false;
  const addr = ipaddr.process(h);
  return addr.range() === 'loopback';
}

/**
 * The warning a development-mode Herald prints when it listens beyond loopback: development
 * allows private and loopback destinations (`HERALD_ALLOW_PRIVATE_NETWORKS`), so anyone who can
 * reach it with a key can make it call internal services and read 4 KiB of their answers.
 * Returns the message, or undefined when there is nothing to warn about.
 */
export function exposureWarning(
  config: Pick<HeraldConfig, 'env' | 'host' | 'allowPrivateNetworks'>,
): string | undefined {
  if (config.env === 'production' || isLoopbackHost(config.host)) return undefined;
  return (
    `Herald runs in development mode on ${config.host}, reachable from other machines` +
    (config.allowPrivateNetworks ? ', with private and loopback destinations allowed (SSRF)' : '') +
    ': set HERALD_ENV=production, or HERALD_HOST=127.0.0.1 to keep it local'
  );
}

/** Logs {@link exposureWarning} at `warn`, when there is one. */
export function warnIfExposed(
  config: Pick<HeraldConfig, 'env' | 'host' | 'allowPrivateNetworks'>,
  logger: Logger,
): void {
  const message = exposureWarning(config);
  if (message) logger.warn({ host: config.host, env: config.env }, message);
}
