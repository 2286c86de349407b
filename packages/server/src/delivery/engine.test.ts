import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery, CompleteAttemptInput } from '../model/records.js';
import type { ClaimInput, DeliveryQueue } from '../ports/delivery-queue.js';
import type { DirectDispatch } from '../ports/direct-dispatch.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createEngine } from './engine.js';
import type { AttemptResult } from './transport/send-attempt.js';

/** Lets queued immediates and promise callbacks run (the engine pumps on `setImmediate`). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function delivery(id: string, now: number): ClaimedDelivery {
  return {
    id,
    projectId: 'p1',
    eventId: `ev_${id}`,
    eventType: 'batch.succeeded',
    messageId: `msg_${id}`,
    destType: 'dynamic',
    webhookId: null,
    uri: 'https://example.test/hook',
    status: 'in_flight',
    statusReason: null,
    attemptCount: 0,
    nextAttemptAt: now,
    nextTrigger: 'scheduled',
    deadlineAt: now + 86_400_000,
    createdAt: now,
    updatedAt: now,
    lastStatusCode: null,
    lastError: null,
    body: '{}',
    webhookState: null,
    leaseOwner: 'test',
  };
}

/**
 * An in-memory queue: `claimDue` hands out what the test queued, `nextDueAt` answers what the
 * test set (the store's view), and every call is counted.
 */
class ScriptedQueue implements DeliveryQueue {
  claims: ClaimInput[] = [];
  dueReads = 0;
  recorded: CompleteAttemptInput[] = [];
  ready: ClaimedDelivery[] = [];
  nextDue: number | null = null;
  /** What claims answer as the next due time (`ClaimResult.nextDueAt`); undefined: they do not. */
  claimedNextDue: number | null | undefined = undefined;
  #listeners = new Set<() => void>();

  subscribe(listener: () => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  async claimDue(input: ClaimInput) {
    this.claims.push(input);
    const deliveries = this.ready.splice(0, input.limit);
    return this.claimedNextDue === undefined ? { deliveries } : { deliveries, nextDueAt: this.claimedNextDue };
  }
  async completeAttempt(input: CompleteAttemptInput) {
    this.recorded.push(input);
  }
  async releaseExpiredLeases() {
    return 0;
  }
  async nextDueAt() {
    this.dueReads++;
    return this.nextDue;
  }
  notify(): void {
    for (const l of this.#listeners) l();
  }
  dispatch: DirectDispatch | undefined;
  setDirectDispatch(dispatch: DirectDispatch | undefined): void {
    this.dispatch = dispatch;
  }
}

function engineOn(
  queue: ScriptedQueue,
  clock: ManualClock,
  send: () => Promise<AttemptResult>,
  limits: { maxConcurrent?: number; maxPerProject?: number } = {},
) {
  return createEngine({
    store: queue,
    signer: { sign: async () => ({}) },
    send,
    logger: pino({ level: 'silent' }),
    clock,
    maxConcurrent: limits.maxConcurrent ?? 8,
    ...(limits.maxPerProject !== undefined ? { maxPerProject: limits.maxPerProject } : {}),
    breakerThreshold: 0,
  });
}

const ok = async (): Promise<AttemptResult> => ({ statusCode: 200, durationMs: 1, responseExcerpt: '' });

describe('delivery engine: claim timer', () => {
  it('backs off, 2 ms doubling to 64 ms, while due work is held by another process; a notice still claims at once', async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    // Another process's claim holds the only due destination: due now, yet nothing to lease.
    queue.nextDue = clock.now();
    const engine = engineOn(queue, clock, ok);
    engine.start();
    await settle();
    expect(queue.claims).toHaveLength(1);

    const gaps: number[] = [];
    for (let claims = 1; claims < 8; claims++) {
      let waited = 0;
      while (queue.claims.length === claims) {
        clock.advance(1);
        waited++;
        queue.nextDue = clock.now();
        await settle();
        if (waited > 1000) throw new Error('the engine stopped claiming');
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([2, 4, 8, 16, 32, 64, 64]);

    // A commit notice (new work) does not wait for the backoff.
    const before = queue.claims.length;
    queue.notify();
    await settle();
    expect(queue.claims.length).toBe(before + 1);

    // Leasing something resets the backoff: work due now is claimed again at once.
    queue.ready.push(delivery('d1', clock.now()));
    queue.notify();
    await settle();
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1']);
    await engine.stop(0);
  });

  it('waits for due work only when it is in the future, not when the last pass leased something', async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    queue.nextDue = clock.now() + 500;
    const engine = engineOn(queue, clock, ok);
    engine.start();
    await settle();
    expect(queue.claims).toHaveLength(1);
    clock.advance(499);
    await settle();
    expect(queue.claims).toHaveLength(1);
    queue.ready.push(delivery('d1', clock.now()));
    queue.nextDue = null;
    clock.advance(1);
    await settle();
    expect(queue.claims[1]!.now).toBe(1_000_500);
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1']);
    await engine.stop(0);
  });

  it('at its concurrency limit reads no due time (no timer spin): a finishing attempt claims again', async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    queue.ready.push(delivery('d1', clock.now()), delivery('d2', clock.now()));
    queue.nextDue = clock.now();
    let finish!: () => void;
    const send = () =>
      new Promise<AttemptResult>((resolve) => {
        finish = () => resolve({ statusCode: 200, durationMs: 1, responseExcerpt: '' });
      });
    const engine = engineOn(queue, clock, send, { maxConcurrent: 1 });
    engine.start();
    await settle();
    expect(queue.claims).toHaveLength(1);
    expect(queue.claims[0]!.limit).toBe(1);
    expect(engine.inFlight).toBe(1);
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      await settle();
    }
    expect(queue.dueReads).toBe(0);
    expect(queue.claims).toHaveLength(1);

    finish();
    await settle();
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1']);
    expect(queue.claims).toHaveLength(2);
    expect(engine.inFlight).toBe(1);
    finish();
    await settle();
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1', 'd2']);
    await engine.stop(0);
  });

  it("arms its timer from the claim's own next due time, and reads it only when a project filled meanwhile", async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    queue.claimedNextDue = clock.now() + 300;
    queue.nextDue = clock.now() + 900; // what a separate read would say: not asked
    const engine = engineOn(queue, clock, ok);
    engine.start();
    await settle();
    expect(queue.claims).toHaveLength(1);
    expect(queue.dueReads).toBe(0);
    clock.advance(299);
    await settle();
    expect(queue.claims).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(queue.claims).toHaveLength(2);
    expect(queue.dueReads).toBe(0);
    await engine.stop(0);

    // A claim whose launches fill a project's share: its answer counted that project's
    // destinations, so the engine reads the due time again without them.
    const held = new ScriptedQueue();
    held.claimedNextDue = clock.now();
    held.ready.push(delivery('d1', clock.now()));
    const never = () => new Promise<AttemptResult>(() => {});
    const busy = engineOn(held, clock, never, { maxPerProject: 1 });
    busy.start();
    await settle();
    expect(held.claims).toHaveLength(1);
    expect(held.dueReads).toBe(1);
    await busy.stop(0);
  });

  it("counts an emit's direct leases from their reservation: a claim before the hand-over leaves their slots and share alone", async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    const engine = engineOn(queue, clock, ok, { maxPerProject: 4 });
    engine.start();
    await settle();
    const dispatch = queue.dispatch!;
    const leased = ['d1', 'd2', 'd3', 'd4'].map((id) => delivery(id, clock.now()));
    dispatch.reserve(leased); // the emit committed them; its hand-over has not come yet
    expect(dispatch.room('p1')).toBe(0);
    expect(dispatch.room()).toBe(4);
    queue.notify(); // a claim in between
    await settle();
    const claim = queue.claims.at(-1)!;
    expect(claim.limit).toBe(4);
    expect(claim.projectShare?.inFlight.get('p1')).toBe(4); // the claim passes over the project

    dispatch.accept(leased); // the hand-over: run in the slots already taken
    await settle();
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(engine.inFlight).toBe(0);

    const rolledBack = [delivery('d5', clock.now())];
    dispatch.reserve(rolledBack);
    expect(engine.inFlight).toBe(1);
    dispatch.release(rolledBack);
    expect(engine.inFlight).toBe(0);
    await engine.stop(0);
  });

  it('below its limits, a finished attempt claims nothing by itself: the store says what it freed', async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new ScriptedQueue();
    queue.ready.push(delivery('d1', clock.now()), delivery('d2', clock.now()));
    const engine = engineOn(queue, clock, ok);
    engine.start();
    await settle();
    expect(queue.recorded.map((r) => r.delivery.id)).toEqual(['d1', 'd2']);
    // One claim leased both; their records asked for no claim each (with two workers, half of
    // those found nothing: the other engine had leased it).
    expect(queue.claims).toHaveLength(1);
    queue.notify(); // a record that freed a destination's cap, or a retry falling due
    await settle();
    expect(queue.claims).toHaveLength(2);
    await engine.stop(0);
  });
});
