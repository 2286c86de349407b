import type { EventRecord } from '../model/records.js';
import { ApiError } from './api-error.js';

/** JSON with object keys sorted, so that two requests differing only in key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * An `Idempotency-Key` replay must be the same request: the same `type` and `data` (key order
 * aside) as the event the key first created, which is then returned. Another request under a
 * used key is a client bug (a key reused for a new event) that silently returning the original
 * would hide: `409 ALREADY_EXISTS`, as Stripe does. The fingerprint is the stored event itself
 * (its envelope holds type and data), so no extra column is needed.
 */
export function checkIdempotentReplay(
  original: EventRecord,
  request: { type: string; data: unknown },
  key: string,
): void {
  let data: unknown;
  try {
    data = (JSON.parse(original.body) as { data?: unknown }).data;
  } catch {
    return;
  }
  if (original.type === request.type && canonical(data) === canonical(request.data)) return;
  throw new ApiError(
    'ALREADY_EXISTS',
    `Idempotency-Key "${key.slice(0, 255)}" was already used for a different event (${original.id}, type "${original.type}"): ` +
      'use a new key for a new event, or resend the same type and data to get the original back',
  );
}
