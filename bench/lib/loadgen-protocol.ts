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
    }
  | { id: number; ok: false; error: string };
