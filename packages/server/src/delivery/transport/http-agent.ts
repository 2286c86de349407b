import { Agent } from 'undici';
import { createGuardedConnector, type LookupAll } from './guarded-connector.js';

/** Options of {@link createDeliveryAgent}. */
export interface DeliveryAgentOptions {
  /** Allow loopback/private destinations (development). Link-local/metadata stay blocked. */
  allowPrivate: boolean;
  /** TCP + TLS connect timeout. Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** Socket cap per origin (a safety limit; fairness lives in the engine). Default 16. */
  connectionsPerOrigin?: number | undefined;
  /** Bounds the per-origin pool map when there are many endpoints. Default unlimited. */
  maxOrigins?: number | undefined;
  /** Headers/body idle timeouts inside undici; keep ≥ the attempt timeout. Default 15000. */
  socketTimeoutMs?: number | undefined;
  /** Resolver for the SSRF lookup hook (tests). Default `dns.lookup`. */
  lookup?: LookupAll | undefined;
}

/**
 * The one undici `Agent` shared by all deliveries: SSRF-guarded connector, keep-alive 4 s
 * (max 10 min), no pipelining, no redirect interceptor. There is deliberately no `maxResponseSize`:
 * `sendAttempt` reads at most a small excerpt and discards the rest, so a large response body never
 * turns a delivered webhook into a failure. Close it with `await agent.close()` on shutdown.
 *
 * @example
 * const agent = createDeliveryAgent({ allowPrivate: config.allowPrivateNetworks });
 * const result = await sendAttempt(agent, { url, headers, body });
 */
export function createDeliveryAgent(options: DeliveryAgentOptions): Agent {
  const socketTimeoutMs = options.socketTimeoutMs ?? 15_000;
  return new Agent({
    connect: createGuardedConnector({
      allowPrivate: options.allowPrivate,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      lookup: options.lookup,
    }),
    connections: options.connectionsPerOrigin ?? 16,
    ...(options.maxOrigins !== undefined ? { maxOrigins: options.maxOrigins } : {}),
    keepAliveTimeout: 4000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
    headersTimeout: socketTimeoutMs,
    bodyTimeout: socketTimeoutMs,
  });
}
