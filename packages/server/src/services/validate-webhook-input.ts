import {
  describeAcceptedEventTypes,
  isAcceptedEventType,
  REVOCATION_BEHAVIORS,
  type RevocationBehavior,
} from '@herald/contracts';
import { invalidArgument } from '../kernel/domain-errors.js';

/** Validates `subscribed_events`: non-empty, no duplicates, every type accepted. */
export function checkSubscribedEvents(events: readonly string[], field = 'subscribed_events'): string[] {
  if (events.length === 0)
    throw invalidArgument(`${field} must list at least one event type; ${describeAcceptedEventTypes()}`);
  if (events.length > 100) throw invalidArgument(`${field} may list at most 100 event types`);
  for (const e of events) {
    if (!isAcceptedEventType(e))
      throw invalidArgument(`${field} contains unknown event type "${e}"; ${describeAcceptedEventTypes()}`);
  }
  return [...new Set(events)];
}

/** Parses `revocation_behavior` case-insensitively; the default keeps old secrets for 24 h. */
export function checkRevocationBehavior(raw: unknown): RevocationBehavior {
  if (raw === undefined || raw === null || raw === '') return 'revoke_previous_secrets_after_h24';
  const value = typeof raw === 'string' ? raw.toLowerCase() : '';
  const found = REVOCATION_BEHAVIORS.find((b) => b === value);
  if (!found) {
    throw invalidArgument(
      `revocation_behavior "${typeof raw === 'string' ? raw : JSON.stringify(raw)}" is not valid; allowed: ${REVOCATION_BEHAVIORS.join(', ')}`,
    );
  }
  return found;
}

/** Validates a display name. */
export function checkName(name: string): string {
  if (name.length > 256) throw invalidArgument('name must be at most 256 characters');
  return name;
}
