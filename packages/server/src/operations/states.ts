import { OPERATION_STATES } from '@herald/contracts';
import type { OperationState } from '../model/operation-records.js';

/** Every state, in lifecycle order: the contract's list (one source for the API, the CLI and here). */
export { OPERATION_STATES } from '@herald/contracts';

/** States an operation never leaves (it is `done`). */
export const FINAL_STATES: readonly OperationState[] = [
  'requires_action',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
];
/** States in which work may still happen. */
export const ACTIVE_STATES: readonly OperationState[] = ['pending', 'running'];

export const isFinal = (s: OperationState): boolean => FINAL_STATES.includes(s);

export function isOperationState(s: string): s is OperationState {
  return (OPERATION_STATES as readonly string[]).includes(s);
}

/**
 * The state machine shared by every kind: what a change may start from. Kinds narrow the set of
 * final states they use (see kinds.ts): only batches expire, only interactions require action.
 *
 *   pending ──lease──▶ running ──▶ succeeded | failed | requires_action
 *      │                  │
 *      └──────────────────┴──▶ cancelled | expired
 */
export const TRANSITIONS: Record<OperationState, readonly OperationState[]> = {
  pending: [],
  running: ['pending', 'running'],
  requires_action: ['running'],
  succeeded: ['running'],
  failed: ['running'],
  cancelled: ['pending', 'running'],
  expired: ['pending', 'running'],
};
