import { buildEvent, type BuildEventInput } from '../model/build-event.js';
import type { EmitInput } from '../model/records.js';
import { STORE_T0 } from './webhook-record.js';

/**
 * An event as the store suites emit it: project `p1`, type `job.done`, to its subscribers, at
 * {@link STORE_T0}; `over` replaces any of those (and `data`).
 *
 * @example
 * await store.emitEvent(storeEvent({ type: 'job.later', now: STORE_T0 + 500 }));
 */
export function storeEvent(over: Partial<BuildEventInput> = {}): EmitInput {
  return buildEvent({
    projectId: 'p1',
    type: 'job.done',
    data: {},
    now: STORE_T0,
    target: { kind: 'subscribers' },
    timeScale: 1,
    ...over,
  });
}
