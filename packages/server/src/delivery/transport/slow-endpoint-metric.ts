import { Counter, type Registry } from 'prom-client';

/**
 * `herald_delivery_slow_endpoint_timeouts_total`: attempts cut short by the adaptive timeout
 * (see `withAdaptiveTimeout`). Returns the function that counts one.
 */
export function slowEndpointCounter(registry: Registry): () => void {
  const counter = new Counter({
    name: 'herald_delivery_slow_endpoint_timeouts_total',
    help: 'Attempts cut short because the endpoint took over 10x its usual answer time (p95); retried with the full timeout',
    registers: [registry],
  });
  return () => counter.inc();
}
