import type { DeliveryAgentOptions } from '../delivery/transport/http-agent.js';
import type { HeraldConfig } from './config.js';

/**
 * The delivery agent's options from the configuration. undici's own headers and body timeouts
 * sit a second past the attempt time-out, so the attempt's timer (`HERALD_ATTEMPT_TIMEOUT_MS`,
 * up to 120 s) is what ends a slow attempt, never undici's 15-s default.
 */
export function deliveryAgentOptions(
  config: Pick<HeraldConfig, 'allowPrivateNetworks' | 'connectTimeoutMs' | 'attemptTimeoutMs'>,
): DeliveryAgentOptions {
  return {
    allowPrivate: config.allowPrivateNetworks,
    connectTimeoutMs: config.connectTimeoutMs,
    socketTimeoutMs: config.attemptTimeoutMs + 1000,
  };
}
