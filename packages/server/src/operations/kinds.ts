import type { OperationRecord, OperationState } from '../model/operation-records.js';
import { GEMINI_KINDS } from '../gemini/kinds.js';

/**
 * What a kind of operation announces: the event type on entering each final state, and its
 * `data` (without `user_metadata`, which operation-events.ts adds for every kind).
 */
export interface KindSpec {
  /** Final states this kind can reach. */
  readonly finalStates: readonly OperationState[];
  /** The event type fired on entering `state`, if any. */
  eventType(op: OperationRecord): string | undefined;
  eventData(op: OperationRecord): Record<string, unknown>;
  /** `operation.progress` for custom kinds; Gemini kinds store progress without an event. */
  readonly progressEvent?: string;
  readonly expires?: boolean;
}

/** Kinds of operations API builders create: lower-case dotted segments. */
export const CUSTOM_KIND_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
export const RESERVED_KIND_PREFIX = 'gemini.';

const errorFields = (op: OperationRecord) => ({
  error_code: op.error?.code ?? 'UNKNOWN',
  error_message: op.error?.message ?? '',
});

const CUSTOM_EVENTS: Partial<Record<OperationState, string>> = {
  succeeded: 'operation.succeeded',
  failed: 'operation.failed',
  cancelled: 'operation.cancelled',
};

/** Custom kinds (`render.video`, `etl`): `operation.*` events with the result or the error. */
export const CUSTOM_KIND: KindSpec = {
  finalStates: ['succeeded', 'failed', 'cancelled'],
  eventType: (op) => CUSTOM_EVENTS[op.state],
  eventData(op) {
    const base = { id: op.name, kind: op.kind };
    if (op.state === 'succeeded') return op.result === null ? base : { ...base, result: op.result };
    if (op.state === 'failed') return { ...base, ...errorFields(op) };
    if (op.state === 'running' && op.progress) return { ...base, progress: op.progress };
    return base;
  },
  progressEvent: 'operation.progress',
};

export function kindSpec(kind: string): KindSpec {
  return GEMINI_KINDS[kind] ?? CUSTOM_KIND;
}

export const isGeminiKind = (kind: string): boolean => kind.startsWith(RESERVED_KIND_PREFIX);
