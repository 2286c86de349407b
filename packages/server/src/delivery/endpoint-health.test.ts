import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, ClaimedDelivery, CompleteAttemptInput } from '../model/records.js';
import type { WebhookHealthFacts } from '../ports/endpoint-health.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createEndpointHealth, DISABLE_REASONS } from './endpoint-health.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 4, 4, 12, 0, 0);

function delivery(over: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  return {
    id: 'dlv_1',
    projectId: 'p1',
    eventId: 'evt_1',
    eventType: 'invoice.ready',
    messageId: 'msg_1',
    destType: 'webhook',
    webhookId: 'wh_1',
    uri: 'https://example.com/hook',
    status: 'in_flight',
    statusReason: null,
    attemptCount: 7,
    nextAttemptAt: null,
    nextTrigger: 'scheduled',
    deadlineAt: T0 + 24 * H,
    createdAt: T0,
    updatedAt: T0,
    lastStatusCode: null,
    lastError: null,
    body: '{}',
    webhookState: 'enabled',
    leaseOwner: 'w1',
    ...over,
  };
}

function completion(
  clock: ManualClock,
  outcome: AttemptOutcome,
  over: Partial<ClaimedDelivery> = {},
): CompleteAttemptInput {
  return { delivery: delivery(over), attempt: null, outcome, now: clock.now() };
}

function webhook(over: Partial<WebhookHealthFacts> = {}): WebhookHealthFacts {
  return { id: 'wh_1', projectId: 'p1', state: 'enabled', createdAt: T0, lastSuccessAt: null, ...over };
}

const exhausted: AttemptOutcome = { status: 'failed', reason: 'exhausted' };
const gone: AttemptOutcome = { status: 'failed', reason: 'gone' };

describe('endpoint health', () => {
  const health = createEndpointHealth({ timeScale: 1 });

  it('disables on 410 Gone at once, with a webhook.disabled event for subscribers', () => {
    const clock = new ManualClock(T0 + 1000);
    const input = completion(clock, gone);
    expect(health.mayDisable(input)).toBe(true);
    const d = health.decide(input, webhook({ lastSuccessAt: T0 + 500 }));
    expect(d?.reason).toBe(DISABLE_REASONS.gone);
    expect(d?.event).toMatchObject({
      projectId: 'p1',
      type: 'webhook.disabled',
      createdAt: T0 + 1000,
      deadlineAt: T0 + 1000 + 24 * H,
      target: { kind: 'subscribers' },
    });
    expect(JSON.parse(d!.event.body)).toMatchObject({
      type: 'webhook.disabled',
      data: { id: 'wh_1', reason: DISABLE_REASONS.gone },
    });
  });

  it('disables on exhaustion only after 24 h without a success (since creation when there was none)', () => {
    const clock = new ManualClock(T0 + 24 * H - 1);
    expect(health.decide(completion(clock, exhausted), webhook())).toBeUndefined();
    clock.advance(1);
    expect(health.decide(completion(clock, exhausted), webhook())?.reason).toBe(DISABLE_REASONS.exhausted);
    // A success within the window keeps it enabled; the window counts from that success.
    expect(health.decide(completion(clock, exhausted), webhook({ lastSuccessAt: T0 + H }))).toBeUndefined();
    clock.advance(H);
    expect(health.decide(completion(clock, exhausted), webhook({ lastSuccessAt: T0 + H }))?.reason).toBe(
      DISABLE_REASONS.exhausted,
    );
  });

  it('divides the window by the time scale', () => {
    const scaled = createEndpointHealth({ timeScale: 3600 }); // 24 h → 24 s
    const clock = new ManualClock(T0 + 24_000);
    const d = scaled.decide(completion(clock, exhausted), webhook());
    expect(d?.reason).toBe(DISABLE_REASONS.exhausted);
    expect(d?.event.deadlineAt).toBe(T0 + 24_000 + 24_000);
    expect(scaled.decide(completion(new ManualClock(T0 + 24_000 - 1), exhausted), webhook())).toBeUndefined();
  });

  it('leaves a webhook that is not enabled as it is', () => {
    const clock = new ManualClock(T0 + 48 * H);
    for (const state of ['disabled', 'disabled_due_to_failed_deliveries'] as const) {
      expect(health.decide(completion(clock, gone), webhook({ state }))).toBeUndefined();
      expect(health.decide(completion(clock, exhausted), webhook({ state }))).toBeUndefined();
    }
  });

  it('never disables for other outcomes, manual or replay failures, or dynamic destinations', () => {
    const clock = new ManualClock(T0 + 48 * H);
    const others: AttemptOutcome[] = [
      { status: 'succeeded' },
      { status: 'pending', nextAttemptAt: T0 + 49 * H },
      { status: 'cancelled', reason: 'webhook_deleted' },
      { status: 'failed', reason: 'manual_attempt_failed' },
      { status: 'failed', reason: 'replay_attempt_failed' },
    ];
    for (const outcome of others) {
      const input = completion(clock, outcome);
      expect(health.mayDisable(input)).toBe(false);
      expect(health.decide(input, webhook())).toBeUndefined();
    }
    const dynamic = completion(clock, gone, { destType: 'dynamic', webhookId: null, webhookState: null });
    expect(health.mayDisable(dynamic)).toBe(false);
    expect(health.decide(dynamic, webhook())).toBeUndefined();
  });
});
