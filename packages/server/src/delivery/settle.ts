import type { AttemptResult } from './transport/send-attempt.js';
import { classifyAttempt } from './transport/classify.js';
import type { AttemptOutcome, ClaimedDelivery, CompleteAttemptInput } from '../model/records.js';
import { nextAttempt } from './retry-policy.js';

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The delivery and the number of this attempt (for senders that are not plain HTTP: `herald listen`). */
  deliveryId?: string;
  attempt?: number;
}

export type Sender = (req: AttemptRequest) => Promise<AttemptResult>;

export interface PolicyContext {
  now: number;
  timeScale: number;
  random: () => number;
}

/** Whether a claimed delivery should be dropped instead of attempted, and why. */
export function skipReason(d: ClaimedDelivery): string | undefined {
  if (d.destType !== 'webhook') return undefined;
  if (d.webhookState === null) return 'webhook_deleted';
  if (d.webhookState !== 'enabled' && d.eventType !== 'webhook.ping') return 'webhook_disabled';
  return undefined;
}

/**
 * Turns an attempt's result into what the store records: the next state of the delivery by the
 * retry policy. (Whether a failure disables its static webhook is the store's endpoint-health
 * policy, delivery/endpoint-health.ts, applied in the same transaction.)
 */
export function settleAttempt(
  d: ClaimedDelivery,
  result: AttemptResult,
  startedAt: number,
  ctx: PolicyContext,
): { input: CompleteAttemptInput; kind: AttemptOutcome['status'] } {
  const number = d.attemptCount + 1;
  const decision = nextAttempt({
    outcome: classifyAttempt(result),
    attemptsMade: number,
    now: ctx.now,
    createdAt: d.createdAt,
    deadline: d.deadlineAt,
    ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
    timeScale: ctx.timeScale,
    random: ctx.random,
  });
  let outcome: AttemptOutcome;
  switch (decision.kind) {
    case 'succeeded':
      outcome = { status: 'succeeded' };
      break;
    case 'gone':
      outcome = { status: 'failed', reason: 'gone' };
      break;
    case 'retry':
      // A replay makes one attempt per delivery; what still fails can be replayed again.
      outcome =
        d.nextTrigger === 'replay'
          ? { status: 'failed', reason: 'replay_attempt_failed' }
          : { status: 'pending', nextAttemptAt: decision.at };
      break;
    case 'exhausted':
      outcome = {
        status: 'failed',
        reason:
          d.nextTrigger === 'manual'
            ? 'manual_attempt_failed'
            : d.nextTrigger === 'replay'
              ? 'replay_attempt_failed'
              : 'exhausted',
      };
      break;
  }
  const input: CompleteAttemptInput = {
    delivery: d,
    now: ctx.now,
    outcome,
    attempt: {
      deliveryId: d.id,
      number,
      trigger: d.nextTrigger,
      startedAt,
      durationMs: Math.round(result.durationMs * 100) / 100,
      statusCode: result.statusCode ?? null,
      errorCode: result.errorCode ?? null,
      errorMessage: result.errorMessage ?? null,
      responseExcerpt: result.responseExcerpt === '' ? null : result.responseExcerpt,
    },
  };
  return { input, kind: outcome.status };
}
