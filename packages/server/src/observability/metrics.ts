import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AttemptResult } from '../model/attempt-result.js';
import type { ClaimedDelivery } from '../model/records.js';
import type { ReadModels } from '../ports/read-models.js';

export interface Metrics {
  readonly registry: Registry;
  /** Call after every recorded attempt. */
  observeAttempt(delivery: ClaimedDelivery, result: AttemptResult, outcome: string, now: number): void;
  /** Call when an attempt was cut short by the adaptive timeout (delivery/transport/adaptive-timeout.ts). */
  countSlowEndpointTimeout(): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * Prometheus metrics. Labels are bounded (outcome, status class): never an endpoint or project
 * id, so cardinality stays flat however many webhooks there are. Backlog gauges are read from
 * the store at scrape time.
 */
export function createMetrics(store: ReadModels, now: () => number = Date.now): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'herald_process_' });
  const attempts = new Counter({
    name: 'herald_delivery_attempts_total',
    help: 'Delivery attempts by outcome (succeeded, pending = will retry, failed, cancelled) and status class',
    labelNames: ['outcome', 'status_class'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'herald_attempt_duration_seconds',
    help: 'Duration of one delivery attempt (request sent to response read)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'herald_notification_latency_seconds',
    help: 'Event committed → receiver answered 2xx, for deliveries that succeed on their first attempt',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'herald_backlog_deliveries',
    help: 'Deliveries not yet settled, by state (pending, in_flight)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const s = await store.deliveryStats();
      this.set({ state: 'pending' }, s.pending);
      this.set({ state: 'in_flight' }, s.inFlight);
      oldest.set(s.oldestPendingCreatedAt === null ? 0 : Math.max(0, (now() - s.oldestPendingCreatedAt) / 1000));
      disabled.set(s.disabledWebhooks);
    },
  });
  const oldest = new Gauge({
    name: 'herald_oldest_pending_delivery_age_seconds',
    help: 'Age of the oldest unsettled delivery (0 when there is none)',
    registers: [registry],
  });
  const disabled = new Gauge({
    name: 'herald_webhooks_disabled_due_to_failures',
    help: 'Static webhooks disabled because their deliveries kept failing',
    registers: [registry],
  });

  const slowTimeouts = new Counter({
    name: 'herald_delivery_slow_endpoint_timeouts_total',
    help: 'Attempts cut short because the endpoint took over 10x its usual answer time (p95); retried with the full timeout',
    registers: [registry],
  });

  return {
    registry,
    contentType: registry.contentType,
    observeAttempt(d, result, outcome, at) {
      const cls = result.statusCode === undefined ? 'error' : `${Math.floor(result.statusCode / 100)}xx`;
      attempts.inc({ outcome, status_class: cls });
      duration.observe(result.durationMs / 1000);
      if (outcome === 'succeeded' && d.attemptCount === 0) latency.observe(Math.max(0, at - d.createdAt) / 1000);
    },
    countSlowEndpointTimeout: () => slowTimeouts.inc(),
    render: () => registry.metrics(),
  };
}
