import type { ClaimedDelivery, CompleteAttemptInput, EpochMs } from '../model/records.js';
import type { DirectDispatch } from './direct-dispatch.js';

export interface ClaimInput {
  now: EpochMs;
  /** Most deliveries to lease in this call. */
  limit: number;
  /** Most deliveries in flight per destination, across every process sharing the store. */
  maxPerDestination: number;
  leaseMs: number;
  owner: string;
  /**
   * Fairness across projects: the claim leases at most `max` minus the project's attempts in
   * flight (in the claiming process) for any one project, and passes over projects already at
   * `max`, so one tenant's backlog across many destinations cannot fill the batch.
   */
  projectShare?: ProjectShare;
  /**
   * Destinations the engine will not attempt before `until` (an open circuit breaker). The claim
   * moves each one's `next_due_at` forward to `until` in ONE statement and leases nothing from
   * it, so a paused backlog costs no lease and no write-back per delivery; its deliveries stay
   * `pending`, untouched, and fall due again when the pause ends.
   */
  paused?: readonly PausedDestination[];
  /**
   * Destinations whose pause is over but whose probe has not gone out (a half-open circuit): the
   * claim leases at most one delivery from each (the probe), not a full share that the engine
   * would only write back.
   */
  probeOnly?: readonly string[];
}

export interface PausedDestination {
  destinationId: string;
  until: EpochMs;
}

export interface ProjectShare {
  /** Most attempts in flight per project in the claiming process. */
  max: number;
  /** Attempts in flight now, by project (projects with none may be absent). */
  inFlight: ReadonlyMap<string, number>;
}

/** What a claim leased, and, when the store read it in the same round trip, when to look again. */
export interface ClaimResult {
  deliveries: ClaimedDelivery[];
  /**
   * Optional: what `nextDueAt(input.maxPerDestination, projects at their share before this claim)`
   * answers once this claim has committed, read by the claim itself (PostgreSQL: one round trip
   * instead of two). Undefined: not read, ask `nextDueAt`.
   */
  nextDueAt?: EpochMs | null;
}

/**
 * The delivery engine's side of the outbox: lease due deliveries fairly per destination, record
 * each attempt, hand back leases whose holder died, and say when to look again.
 */
export interface DeliveryQueue {
  /**
   * Calls `listener` after a commit that may have made a delivery claimable: an event, a retry, a
   * released lease, or an attempt record that freed a destination at its in-flight cap (the
   * engine does not claim after each attempt by itself). SQLite: in process, after every attempt
   * record. PostgreSQL: LISTEN/NOTIFY across processes, each notice to one engine (wake-share.ts).
   */
  subscribe(listener: () => void): () => void;
  /**
   * Optional (SQLite): the engine that runs in this process registers here to get fresh
   * deliveries leased to it in the emit's own transaction (see DirectDispatch); undefined
   * unregisters. Stores without it leave every delivery to `claimDue`.
   */
  setDirectDispatch?(dispatch: DirectDispatch | undefined): void;
  claimDue(input: ClaimInput): Promise<ClaimResult>;
  /**
   * Records the attempt and moves the delivery on, in one transaction; with the store's
   * endpoint-health policy (ports/endpoint-health.ts), a failed delivery of a static webhook may
   * disable the webhook in that same transaction (its `webhook.disabled` event and deliveries too).
   */
  completeAttempt(input: CompleteAttemptInput): Promise<void>;
  /** Returns expired leases to `pending`. Returns how many. */
  releaseExpiredLeases(now: EpochMs): Promise<number>;
  /**
   * Earliest `next_attempt_at` of a pending delivery at a destination below its cap (outside
   * `skipProjects`), or null when there is none.
   */
  nextDueAt(maxPerDestination: number, skipProjects?: readonly string[]): Promise<EpochMs | null>;
}
