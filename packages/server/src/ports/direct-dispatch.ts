import type { ClaimedDelivery } from '../model/records.js';

/**
 * Direct dispatch: a store that supports it leases an event's fresh deliveries to the engine in
 * the emit's own transaction, and hands them over once the commit is durable, so a delivery
 * that nothing is waiting in front of needs no claim transaction and no extra turn of the event
 * loop. Only a destination with nothing pending (its order is kept) and room under its in-flight
 * cap is dispatched directly; everything else is written pending and claimed as before.
 */
export interface DirectDispatch {
  /** The engine's lease owner, lease length and per-destination cap (as for `claimDue`). */
  owner: string;
  leaseMs: number;
  maxPerDestination: number;
  /** How many more attempts the engine would start now (for `projectId`: within its share too). */
  room(projectId?: string): number;
  /**
   * Counts these leases as the engine's own from now on, before their commit is durable: a claim
   * meanwhile leaves their slots and their projects' shares alone. Each is then either run
   * (`accept`) or given back (`release`: rolled back, or returned to the queue).
   */
  reserve(deliveries: readonly ClaimedDelivery[]): void;
  /** Runs the attempts of reserved deliveries leased to `owner`; called after the commit is durable. */
  accept(deliveries: ClaimedDelivery[]): void;
  /** Gives back the slots of reserved deliveries that will not be run here. */
  release(deliveries: readonly ClaimedDelivery[]): void;
}

/** What an emit may lease directly (`room` counts down as the transaction uses it). */
export interface DirectLease {
  owner: string;
  leaseMs: number;
  maxPerDestination: number;
  room: number;
}
