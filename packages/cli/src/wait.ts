/**
 * `--wait`: follow a delivery until its next attempt is recorded, by polling its resource.
 * @module
 */

import type { Delivery } from '@herald/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeraldClient } from './client.js';
import { CliError } from './errors.js';

const POLL_MS = 150;

function timedOut(seconds: number, what: string, next: string): CliError {
  return new CliError(`timed out after ${seconds} s waiting for ${what}; check later with \`${next}\``);
}

/**
 * Waits for a delivery of `eventType` to this webhook that is not in `known` (ids seen before the
 * action that creates it), and returns it.
 */
export async function waitForNewDelivery(
  client: HeraldClient,
  webhookId: string,
  eventType: string,
  known: ReadonlySet<string>,
  timeoutSeconds: number,
): Promise<Delivery> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const page = await client.listDeliveries({ webhook: webhookId, pageSize: 20 });
    const found = page.deliveries.find((d) => d.event_type === eventType && !known.has(d.id));
    if (found) return found;
    if (Date.now() >= deadline) {
      throw timedOut(timeoutSeconds, `the ${eventType} delivery`, `herald deliveries list --webhook ${webhookId}`);
    }
    await sleep(POLL_MS);
  }
}

/** Waits until the delivery has more than `attemptsBefore` attempts and none is in flight. */
export async function waitForAttempt(
  client: HeraldClient,
  deliveryId: string,
  attemptsBefore: number,
  timeoutSeconds: number,
): Promise<Delivery> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const d = await client.getDelivery(deliveryId);
    if (d.attempt_count > attemptsBefore && d.status !== 'in_flight' && (d.attempts?.length ?? 0) > 0) return d;
    if (Date.now() >= deadline) {
      throw timedOut(timeoutSeconds, `an attempt of ${deliveryId}`, `herald deliveries get ${deliveryId}`);
    }
    await sleep(POLL_MS);
  }
}
