import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import type { AttemptResult } from './transport/send-attempt.js';
import type { AttemptOutcome, ClaimedDelivery, EpochMs } from '../model/records.js';
import type { DeliveryQueue } from '../ports/delivery-queue.js';
import type { AttemptSigner } from './signing/attempt-signer.js';
import { destinationId } from '../model/destination-id.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import { settleAttempt, skipReason, type Sender } from './settle.js';
import { singleFlight } from '../kernel/single-flight.js';

/** Backoff of the claim timer when due work is held by another process (see timerDelay). */
const LOST_RACE_MIN_MS = 2;
const LOST_RACE_MAX_MS = 64;

export interface EngineOptions {
  /** The outbox's engine side (claims, attempt records, lease reaping, wake-ups). */
  store: DeliveryQueue;
  signer: AttemptSigner;
  send: Sender;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  /** HERALD_TIME_SCALE: divides every delay. */
  timeScale?: number;
  /** Most attempts in flight per destination (a static webhook or a dynamic URI). */
  maxPerDestination?: number;
  /** Most attempts in flight in this process. */
  maxConcurrent?: number;
  /**
   * Most attempts in flight in this process for one project (all its destinations together), so
   * a tenant with many backed-up destinations cannot take every slot. Default: half of
   * `maxConcurrent` (at least `maxPerDestination`).
   */
  maxPerProject?: number;
  attemptTimeoutMs?: number;
  /** Lease on a claimed delivery; must exceed the attempt timeout. */
  leaseMs?: number;
  /**
   * Unreachable attempts in a row (no HTTP answer) after which a destination's deliveries pause
   * (circuit-breaker.ts). Default 5; 0 turns the breaker off.
   */
  breakerThreshold?: number;
  /** Called after every attempt is recorded (metrics, tests, benchmarks). */
  onAttempt?: (delivery: ClaimedDelivery, result: AttemptResult, outcome: AttemptOutcome['status']) => void;
}

export interface Engine {
  start(): void;
  /** Something may have become due: claim now (also wired to the store's commit notifications). */
  wake(): void;
  /** Stops claiming and waits (up to `graceMs`) for in-flight attempts to finish and be recorded. */
  stop(graceMs?: number): Promise<void>;
  readonly inFlight: number;
}

/**
 * The delivery engine: wakes on commit (no poll interval on the hot path) and on one timer set
 * for the earliest due retry; claims leases fairly per destination and per project (a project
 * holds at most `maxPerProject` of the slots); runs each attempt as
 * sign → send → classify → record. A reaper returns leases whose holder died.
 */
export function createEngine(opts: EngineOptions): Engine {
  const { store, signer, send, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const timeScale = opts.timeScale ?? 1;
  const maxPerDestination = opts.maxPerDestination ?? 16;
  const maxConcurrent = opts.maxConcurrent ?? 256;
  const maxPerProject = Math.max(
    1,
    Math.min(maxConcurrent, opts.maxPerProject ?? Math.max(maxPerDestination, Math.floor(maxConcurrent / 2))),
  );
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 15_000;
  const leaseMs = opts.leaseMs ?? attemptTimeoutMs + 15_000;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const breaker = new CircuitBreaker({
    threshold: opts.breakerThreshold ?? 5,
    baseCooldownMs: Math.ceil(5_000 / timeScale),
    maxCooldownMs: Math.ceil(30_000 / timeScale),
    probeWindowMs: attemptTimeoutMs + 1_000,
    probeRecheckMs: Math.ceil(1_000 / timeScale),
  });
  const destinationOf = (d: ClaimedDelivery) =>
    d.webhookId !== null
      ? destinationId({ webhookId: d.webhookId })
      : destinationId({ projectId: d.projectId, uri: d.uri });

  let running = false;
  let active = 0;
  /** Attempts in flight per project; a project leaves the map at 0, so it holds only busy ones. */
  const activeByProject = new Map<string, number>();
  /** Projects at their share: the claim passes over their destinations. */
  const fullProjects = () => [...activeByProject].filter(([, n]) => n >= maxPerProject).map(([p]) => p);
  let pumpQueued = false;
  /** Deliveries the last claim pass leased; 0 with work due now means another process holds it. */
  let lastPassLeased = 0;
  let lostBackoffMs = LOST_RACE_MIN_MS;
  /** When to look again as the pass's last claim answered it, with the projects it passed over. */
  let claimedNext: { at: EpochMs | null; full: string } | undefined;
  let timer: unknown;
  let reaper: unknown;
  const idle = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;

  async function attempt(d: ClaimedDelivery): Promise<void> {
    const skip = skipReason(d);
    if (skip) {
      await store.completeAttempt({
        delivery: d,
        attempt: null,
        outcome: { status: 'cancelled', reason: skip },
        now: clock.now(),
      });
      return;
    }
    const destination = destinationOf(d);
    // An open circuit (the endpoint could not be reached several times in a row) is parked by
    // the claim (ClaimInput.paused), so only deliveries leased before it opened, or handed over
    // by an emit, get here: each moves to the end of the pause without an attempt. A manual retry
    // or a replay, asked for by a person, and the last chance before the deadline always go out.
    const hold = d.nextTrigger === 'scheduled' ? breaker.holdUntil(destination, clock.now()) : undefined;
    if (hold !== undefined && clock.now() < d.deadlineAt) {
      await store.completeAttempt({
        delivery: d,
        attempt: null,
        outcome: { status: 'pending', nextAttemptAt: Math.min(hold, d.deadlineAt) },
        now: clock.now(),
      });
      return;
    }
    const startedAt = clock.now();
    let result: AttemptResult;
    let sent = false;
    try {
      const headers = await signer.sign(d, Math.floor(startedAt / 1000));
      sent = true;
      result = await send({
        url: d.uri,
        headers,
        body: d.body,
        timeoutMs: attemptTimeoutMs,
        deliveryId: d.id,
        attempt: d.attemptCount + 1,
      });
    } catch (err) {
      // Signing failures (a missing key) are recorded like a transport error and retried.
      const e = err as Error & { code?: string };
      result = { durationMs: 0, errorCode: e.code ?? 'ESIGN', errorMessage: e.message, responseExcerpt: '' };
    }
    if (sent) {
      const pause = breaker.record(destination, result.statusCode !== undefined, clock.now());
      if (pause !== undefined)
        logger.warn(
          { destination, uri: d.uri, pauseMs: pause, error: result.errorCode },
          'endpoint unreachable several times in a row: its deliveries pause, then one probe goes out',
        );
    }
    const { input, kind } = settleAttempt(d, result, startedAt, {
      now: clock.now(),
      timeScale,
      random,
    });
    await store.completeAttempt(input);
    const log = {
      deliveryId: d.id,
      msgId: d.messageId,
      attempt: input.attempt?.number,
      status: result.statusCode,
      outcome: kind,
    };
    if (kind === 'succeeded') logger.debug(log, 'delivery attempt succeeded');
    else logger.info({ ...log, error: result.errorCode }, 'delivery attempt failed');
    opts.onAttempt?.(d, result, kind);
  }

  /** Takes a slot for `d` (launched, or reserved for an emit's direct lease). */
  function take(d: ClaimedDelivery): void {
    active++;
    activeByProject.set(d.projectId, (activeByProject.get(d.projectId) ?? 0) + 1);
  }

  /** Frees `d`'s slot. */
  function free(d: ClaimedDelivery): void {
    // Held back by this process's own limits: the slot just freed may let the claim lease
    // more. Otherwise the store wakes the engine when the record made anything claimable (a
    // destination's cap freed, a retry due; DeliveryQueue.subscribe): claiming after every
    // attempt cost one empty claim each, per process, once a second worker shared the work.
    const held = active >= maxConcurrent || (activeByProject.get(d.projectId) ?? 0) >= maxPerProject;
    active--;
    const n = (activeByProject.get(d.projectId) ?? 1) - 1;
    if (n > 0) activeByProject.set(d.projectId, n);
    else activeByProject.delete(d.projectId);
    if (active === 0) for (const f of idle) f();
    if (held) schedulePump();
  }

  /** Runs `d`'s attempt in a slot (taken now, or already when its direct lease was reserved). */
  function launch(d: ClaimedDelivery, reserved = false): void {
    if (!reserved) take(d);
    attempt(d)
      .catch((err: unknown) => {
        // The lease expires and the reaper hands the delivery out again: a duplicate, never a loss.
        logger.error({ err, deliveryId: d.id }, 'recording a delivery attempt failed');
      })
      .finally(() => free(d));
  }

  function schedulePump(): void {
    if (pumpQueued || !running) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      void pump();
    });
  }

  /** One claim pass: lease due deliveries and launch them while there is room. */
  async function claimPass(): Promise<void> {
    lastPassLeased = 0;
    claimedNext = undefined;
    while (running && active < maxConcurrent) {
      const limit = Math.min(maxConcurrent - active, 64);
      const full = fullProjects();
      const { deliveries: batch, nextDueAt } = await store.claimDue({
        now: clock.now(),
        limit,
        maxPerDestination,
        leaseMs,
        owner,
        projectShare: { max: maxPerProject, inFlight: activeByProject },
        // An open circuit parks its destination in the claim itself (one statement), instead of
        // leasing its backlog here only to write every delivery back (see attempt()).
        paused: breaker.paused(clock.now()),
        probeOnly: breaker.halfOpen(clock.now()),
      });
      lastPassLeased += batch.length;
      claimedNext = nextDueAt === undefined ? undefined : { at: nextDueAt, full: full.join() };
      for (const d of batch) launch(d);
      // A short batch means nothing more was due and free: no empty claim to confirm it. Anything
      // the claim could not reach is found by the timer armed after the pass (a due time of now).
      if (batch.length < limit) break;
    }
  }
  const claimPasses = singleFlight(claimPass, () => running);

  async function pump(): Promise<void> {
    try {
      if (await claimPasses()) await armTimer();
    } catch (err) {
      logger.error({ err }, 'claiming deliveries failed; retrying in 1 s');
      if (running) {
        clock.clearTimeout(timer);
        timer = clock.setTimeout(() => void pump(), 1000);
      }
    }
  }

  async function armTimer(): Promise<void> {
    clock.clearTimeout(timer);
    timer = undefined;
    // At its limit (or a project at its share), the engine is woken by its own attempts finishing
    // (launch → schedulePump): a timer would only spin the due-time read until then.
    if (!running || active >= maxConcurrent) return;
    // The claim's own answer holds while the same projects are at their share (the ones it
    // launched may have filled one): no second round trip.
    const claimed = claimedNext;
    claimedNext = undefined;
    const full = fullProjects();
    const next = claimed && claimed.full === full.join() ? claimed.at : await store.nextDueAt(maxPerDestination, full);
    if (next === null || !running) return;
    timer = clock.setTimeout(() => void pump(), timerDelay(next - clock.now()));
  }

  /**
   * How long to wait for work due in `dueInMs`. Due now although the pass just leased nothing:
   * another process's claim holds that destination (`SKIP LOCKED`) and is about to lease it.
   * Claiming again at once would spin claims until that one commits (each a few round trips on
   * a busy database), so the timer backs off, 2 ms doubling to 64 ms, and any commit notice
   * still wakes the engine at once. Leasing anything resets the backoff.
   */
  function timerDelay(dueInMs: number): number {
    if (dueInMs > 0 || lastPassLeased > 0) {
      lostBackoffMs = LOST_RACE_MIN_MS;
      return Math.max(0, dueInMs);
    }
    const delay = lostBackoffMs;
    lostBackoffMs = Math.min(lostBackoffMs * 2, LOST_RACE_MAX_MS);
    return delay;
  }

  function armReaper(): void {
    reaper = clock.setTimeout(
      () => {
        store
          .releaseExpiredLeases(clock.now())
          .then((n) => {
            if (n > 0) logger.warn({ released: n }, 'returned expired delivery leases');
          })
          .catch((err: unknown) => logger.error({ err }, 'lease reaper failed'))
          .finally(() => {
            if (running) armReaper();
          });
      },
      Math.max(1000, Math.floor(leaseMs / 2)),
    );
  }

  return {
    get inFlight() {
      return active;
    },
    start() {
      if (running) return;
      running = true;
      unsubscribe = store.subscribe(() => schedulePump());
      // Fresh deliveries with nothing ahead of them come leased from the emit itself.
      store.setDirectDispatch?.({
        owner,
        leaseMs,
        maxPerDestination,
        room: (projectId) =>
          running
            ? Math.min(
                maxConcurrent - active,
                projectId === undefined ? Infinity : maxPerProject - (activeByProject.get(projectId) ?? 0),
              )
            : 0,
        // Counted from the emit's commit, not from the hand-over after it: a claim in between
        // would otherwise see their project below its share and lease past it.
        reserve: (deliveries) => {
          for (const d of deliveries) take(d);
        },
        accept: (deliveries) => {
          for (const d of deliveries) launch(d, true);
        },
        release: (deliveries) => {
          for (const d of deliveries) free(d);
        },
      });
      armReaper();
      schedulePump();
    },
    wake() {
      schedulePump();
    },
    async stop(graceMs = attemptTimeoutMs + 1000) {
      running = false;
      store.setDirectDispatch?.(undefined);
      unsubscribe?.();
      clock.clearTimeout(timer);
      clock.clearTimeout(reaper);
      if (active === 0) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        t.unref();
        idle.add(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
