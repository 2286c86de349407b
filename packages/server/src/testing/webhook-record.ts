import type { WebhookRecord } from '../model/records.js';

/** The instant the store suites start at. */
export const STORE_T0 = 1_800_000_000_000;

/**
 * A static webhook as the store suites create it: project `p1`, enabled, subscribed to `job.done`,
 * pointed at a closed loopback port, created at {@link STORE_T0} (its `updatedAt` too, unless
 * given), with one sealed secret `sec_<id>` created with it. `over` replaces any field.
 */
export function webhookRecord(id: string, over: Partial<WebhookRecord> = {}): WebhookRecord {
  const createdAt = over.createdAt ?? STORE_T0;
  return {
    id,
    projectId: 'p1',
    name: id,
    uri: `http://127.0.0.1:9/${id}`,
    subscribedEvents: ['job.done'],
    state: 'enabled',
    createdAt,
    updatedAt: createdAt,
    lastSuccessAt: null,
    secrets: [{ id: `sec_${id}`, sealed: 'sealed', truncated: 'whsec_...abcd', createdAt, expireAt: null }],
    ...over,
  };
}
