/**
 * The event catalog: the Gemini-compatible events (docs/gemini-compat.md), Herald's own operation
 * events, and operational events. Custom dotted types (`invoice.ready`) are also accepted.
 */
export const GEMINI_EVENT_TYPES = [
  'batch.succeeded',
  'batch.failed',
  'batch.cancelled',
  'batch.expired',
  'interaction.requires_action',
  'interaction.completed',
  'interaction.failed',
  'interaction.cancelled',
  'video.generated',
] as const;

export const HERALD_EVENT_TYPES = [
  'operation.succeeded',
  'operation.failed',
  'operation.cancelled',
  'operation.progress',
  'webhook.ping',
  'webhook.disabled',
] as const;

export type GeminiEventType = (typeof GEMINI_EVENT_TYPES)[number];
export type HeraldEventType = (typeof HERALD_EVENT_TYPES)[number];
export type CatalogEventType = GeminiEventType | HeraldEventType;

/** Lower-case dotted identifiers of `[a-z0-9_]` segments, at least two segments, ≤ 128 chars. */
export const CUSTOM_EVENT_TYPE_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_]+)+$';
const customEventType = new RegExp(CUSTOM_EVENT_TYPE_PATTERN);

/** Catalog prefixes that custom events may not invent new members of. */
const RESERVED_PREFIXES = ['batch.', 'interaction.', 'video.', 'operation.', 'webhook.'];

const catalog = new Set<string>([...GEMINI_EVENT_TYPES, ...HERALD_EVENT_TYPES]);

/** True for a catalog type. */
export function isCatalogEventType(type: string): type is CatalogEventType {
  return catalog.has(type);
}

/**
 * Whether `type` may be subscribed to or emitted: a catalog type, or a custom dotted type that
 * does not squat a catalog namespace (so a typo such as `batch.succeded` is rejected).
 */
export function isAcceptedEventType(type: string): boolean {
  if (catalog.has(type)) return true;
  if (type.length > 128 || !customEventType.test(type)) return false;
  return !RESERVED_PREFIXES.some((p) => type.startsWith(p));
}

/** A sentence listing what is allowed, for error messages. */
export function describeAcceptedEventTypes(): string {
  return `allowed: ${[...GEMINI_EVENT_TYPES, ...HERALD_EVENT_TYPES].join(', ')}, or a custom dotted type such as "invoice.ready" (lower-case [a-z0-9_] segments, outside the batch., interaction., video., operation. and webhook. namespaces)`;
}
