/**
 * The `data` of every event type Herald sends (Gemini-compatible types plus Herald's own).
 * @module
 */

/** Free-form metadata from a dynamic `webhook_config`, echoed on every event of that job. */
export type UserMetadata = Record<string, unknown>;

/** Fields every `data` may carry. */
export interface BaseEventData {
  /** Resource name of the job (`batches/…`, `interactions/…`, `models/…/operations/…`, `operations/…`). */
  id: string;
  /** `user_metadata` of the job's `webhook_config`, when it had one. */
  user_metadata?: UserMetadata;
}

/** A failed job's error: `error_code` is the numeric `google.rpc` code or its canonical name. */
export interface FailureData extends BaseEventData {
  error_code: number | string;
  error_message: string;
}

/** Progress details of a custom operation. */
export interface OperationProgress {
  percent?: number;
  message?: string;
  [key: string]: unknown;
}

/**
 * Maps each known event type to its `data`.
 *
 * @example
 * ```ts
 * type Data = EventDataMap['batch.failed']; // { id, error_code, error_message, user_metadata? }
 * ```
 */
export interface EventDataMap {
  'batch.succeeded': BaseEventData & { output_file_uri?: string };
  'batch.failed': FailureData;
  'batch.cancelled': BaseEventData;
  'batch.expired': BaseEventData;
  'interaction.requires_action': BaseEventData;
  'interaction.completed': BaseEventData;
  'interaction.failed': FailureData;
  'interaction.cancelled': BaseEventData;
  'video.generated': BaseEventData & { output_file_uri: string; video_uri: string; file_name: string };
  'operation.succeeded': BaseEventData & { kind: string; result?: unknown };
  'operation.failed': FailureData & { kind: string };
  'operation.cancelled': BaseEventData & { kind: string };
  'operation.progress': BaseEventData & { kind: string; progress: OperationProgress };
  'webhook.ping': BaseEventData;
  'webhook.disabled': BaseEventData & { reason: string };
}

/** A type of the catalog. */
export type KnownEventType = keyof EventDataMap;

/**
 * Every known event type, at run time.
 * @example
 * ```ts
 * KNOWN_EVENT_TYPES.includes('batch.succeeded'); // true
 * ```
 */
export const KNOWN_EVENT_TYPES: readonly KnownEventType[] = [
  'batch.succeeded',
  'batch.failed',
  'batch.cancelled',
  'batch.expired',
  'interaction.requires_action',
  'interaction.completed',
  'interaction.failed',
  'interaction.cancelled',
  'video.generated',
  'operation.succeeded',
  'operation.failed',
  'operation.cancelled',
  'operation.progress',
  'webhook.ping',
  'webhook.disabled',
];
