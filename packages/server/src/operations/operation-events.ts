import { buildEvent } from '../model/build-event.js';
import type { OperationRecord } from '../model/operation-records.js';
import type { EmitInput, EventTarget } from '../model/records.js';
import type { KindRegistry } from './kinds.js';

/**
 * Where an operation's events go: only its `webhook_config.uris` when it has them (each URI a
 * delivery of its own), otherwise the project's static webhooks subscribed to the type.
 */
export function operationTarget(op: OperationRecord): EventTarget {
  const uris = op.webhookConfig?.uris;
  return uris && uris.length > 0 ? { kind: 'uris', uris } : { kind: 'subscribers' };
}

function withUserMetadata(op: OperationRecord, data: Record<string, unknown>): Record<string, unknown> {
  const meta = op.webhookConfig?.userMetadata;
  return meta === undefined ? data : { ...data, user_metadata: meta };
}

/**
 * The events of `op` having entered its current state (none for states its kind does not
 * announce), ready to commit with the change. With `progress`, the kind's progress event
 * instead, keyed so that a newer one supersedes older ones still pending per destination.
 */
export function operationEvents(
  op: OperationRecord,
  opts: { kinds: KindRegistry; now: number; timeScale: number; progress?: boolean },
): EmitInput[] {
  const spec = opts.kinds.spec(op.kind);
  const type = opts.progress ? spec.progressEvent : spec.eventType(op);
  if (type === undefined) return [];
  return [
    buildEvent({
      projectId: op.projectId,
      type,
      data: withUserMetadata(op, spec.eventData(op)),
      now: opts.now,
      target: operationTarget(op),
      timeScale: opts.timeScale,
      operation: op.name,
      ...(opts.progress ? { supersedeKey: `progress:${op.name}` } : {}),
    }),
  ];
}
