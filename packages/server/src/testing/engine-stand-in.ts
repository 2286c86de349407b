import type { ClaimedDelivery } from '../model/records.js';
import type { DirectDispatch } from '../ports/direct-dispatch.js';

/**
 * An engine stand-in for direct dispatch: `room` slots, the leases an emit reserves taking them
 * until given back, and what it is handed recorded in `got`.
 */
export function engineStandIn(room = 100, maxPerDestination = 2): DirectDispatch & { got: ClaimedDelivery[] } {
  const got: ClaimedDelivery[] = [];
  let held = 0; // reserved, then run
  return {
    owner: 'engine-1',
    leaseMs: 30_000,
    maxPerDestination,
    room: () => room - held,
    reserve: (ds) => {
      held += ds.length;
    },
    accept: (ds) => got.push(...ds),
    release: (ds) => {
      held -= ds.length;
    },
    got,
  };
}
