import type { EmitInput, EventTarget } from './records.js';
import { sortableId } from '../kernel/sortable-id.js';

export const DELIVERY_WINDOW_HOURS = 24;

export interface BuildEventInput {
  projectId: string;
  type: string;
  data: Record<string, unknown>;
  now: number;
  target: EventTarget;
  /** Divides the 24 h delivery window (HERALD_TIME_SCALE). */
  timeScale: number;
  operation?: string;
  idempotencyKey?: string;
  supersedeKey?: string;
}

/**
 * Builds an event ready for the outbox: the envelope serialized ONCE into the exact bytes that
 * every attempt sends and signs, a `msg_…` id shared by every destination and retry, and the
 * delivery deadline.
 */
export function buildEvent(input: BuildEventInput): EmitInput {
  const { now } = input;
  const envelope = { type: input.type, version: 'v1', timestamp: new Date(now).toISOString(), data: input.data };
  return {
    eventId: sortableId('evt_', now),
    messageId: sortableId('msg_', now),
    projectId: input.projectId,
    type: input.type,
    body: JSON.stringify(envelope),
    createdAt: now,
    deadlineAt: now + Math.ceil((DELIVERY_WINDOW_HOURS * 3_600_000) / input.timeScale),
    target: input.target,
    newDeliveryId: () => sortableId('dlv_', now),
    ...(input.operation !== undefined ? { operation: input.operation } : {}),
    ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
    ...(input.supersedeKey !== undefined ? { supersedeKey: input.supersedeKey } : {}),
  };
}
