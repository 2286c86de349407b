/** IPC messages between the bench process and `loadgen-process.ts`. */
export interface LoadgenRequest {
  id: number;
  url: string;
  apiKey: string;
  /** Event types, used round-robin by sequence number. */
  types: string[];
  count: number;
  durationMs: number;
  connections: number;
  /** Events per request through `POST /v1beta/events:batchCreate` (absent: one per `POST /v1beta/events`). */
  batch?: number;
  /** Return `sentAt`: when each event's request was issued (for end-to-end latency). */
  stamps?: boolean;
}

export type LoadgenReply =
  | {
      id: number;
      ok: true;
      accepted: number;
      errors: number;
      firstError: string;
      /** Monotonic ms (see `nowMs`) when the first request was issued. */
      startedAt: number;
      elapsedMs: number;
      /** With `stamps`: monotonic ms at which the request for event `seq` was issued (0: never). */
      sentAt?: number[];
    }
  | { id: number; ok: false; error: string };
