import type { OperationRecord, OperationState } from '../model/operation-records.js';
import type { KindSpec } from '../operations/kinds.js';

/** The built-in kinds behind the Gemini-compatible surfaces (run by the simulator). */
export const BATCH_KIND = 'gemini.batch';
export const VIDEO_KIND = 'gemini.video';
export const INTERACTION_KIND = 'gemini.interaction';

/** A batch request as stored in the operation's metadata (normalized from either spelling). */
export interface BatchMetadata {
  model: string;
  displayName: string;
  input:
    | { requests: { request: Record<string, unknown>; metadata?: Record<string, unknown> }[] }
    // requestCount: the input file's non-empty lines when the batch was created (batchStats while pending).
    | { fileName: string; requestCount?: number };
}

/** A `predictLongRunning` request as stored. */
export interface VideoMetadata {
  model: string;
  instances: Record<string, unknown>[];
  parameters: Record<string, unknown>;
}

/** A `POST /interactions` request as stored (the wire fields, minus webhook_config). */
export interface InteractionMetadata {
  model?: string;
  agent?: string;
  input: unknown;
  tools?: Record<string, unknown>[];
  previous_interaction_id?: string;
  system_instruction?: string;
  background: boolean;
}

/** What the simulator stores as a batch's result. */
export interface BatchResult {
  responsesFile?: string;
  inlinedResponses?: Record<string, unknown>[];
  stats: { requestCount: number; successfulRequestCount: number; failedRequestCount: number };
}

/** A video operation's result: one entry per generated sample (none when filtered). */
export interface VideoResult {
  samples: { fileName: string; uri: string }[];
  raiMediaFilteredCount?: number;
  raiMediaFilteredReasons?: string[];
}

/** An interaction's result: its output steps. */
export interface InteractionResult {
  steps: Record<string, unknown>[];
  usage?: Record<string, unknown>;
}

const errorFields = (op: OperationRecord) => ({
  error_code: op.error?.code ?? 13,
  error_message: op.error?.message ?? '',
});

const on = (map: Partial<Record<OperationState, string>>) => (op: OperationRecord) => map[op.state];

const batch: KindSpec = {
  finalStates: ['succeeded', 'failed', 'cancelled', 'expired'],
  expires: true,
  eventType: on({
    succeeded: 'batch.succeeded',
    failed: 'batch.failed',
    cancelled: 'batch.cancelled',
    expired: 'batch.expired',
  }),
  eventData(op) {
    if (op.state === 'failed') return { id: op.name, ...errorFields(op) };
    const file = (op.result as BatchResult | null)?.responsesFile;
    if (op.state === 'succeeded' && file !== undefined) return { id: op.name, output_file_uri: file };
    return { id: op.name };
  },
};

const video: KindSpec = {
  finalStates: ['succeeded', 'failed', 'cancelled'],
  // Only a video with at least one sample is announced: failures and filtered results have no event.
  eventType: (op) =>
    op.state === 'succeeded' && ((op.result as VideoResult | null)?.samples.length ?? 0) > 0
      ? 'video.generated'
      : undefined,
  eventData(op) {
    const sample = (op.result as VideoResult | null)?.samples[0];
    if (!sample) return { id: op.name };
    return { id: op.name, output_file_uri: sample.uri, video_uri: sample.uri, file_name: sample.fileName };
  },
};

const interactionEvent = on({
  requires_action: 'interaction.requires_action',
  succeeded: 'interaction.completed',
  failed: 'interaction.failed',
  cancelled: 'interaction.cancelled',
});

const interaction: KindSpec = {
  finalStates: ['requires_action', 'succeeded', 'failed', 'cancelled'],
  // Only background interactions are long-running operations ("LRO in interactions API succeeded");
  // a synchronous one answers its caller directly and fires no event (issue #16, item 9).
  eventType: (op) => ((op.metadata as unknown as InteractionMetadata).background ? interactionEvent(op) : undefined),
  // The interaction's `id` as POST /interactions returned it, not its resource name.
  eventData: (op) => (op.state === 'failed' ? { id: op.id, ...errorFields(op) } : { id: op.id }),
};

export const GEMINI_KINDS: Readonly<Record<string, KindSpec>> = {
  [BATCH_KIND]: batch,
  [VIDEO_KIND]: video,
  [INTERACTION_KIND]: interaction,
};
