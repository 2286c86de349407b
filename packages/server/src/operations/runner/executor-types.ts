import type { Outcome } from '../operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';

/** What an executor sees of the operation it runs. */
export interface ExecutorOperation {
  /** Resource name, e.g. `operations/k3x09q…`. */
  readonly name: string;
  readonly id: string;
  readonly kind: string;
  /** The `metadata` the operation was created with. */
  readonly metadata: Record<string, unknown>;
  /** 1 on the first run; higher when the operation is run again after a crash or restart. */
  readonly attempt: number;
}

/** Handed to an executor with its operation. */
export interface ExecutorContext {
  /** Aborts when the operation is cancelled or deleted, its lease is lost, or Herald shuts down. */
  readonly signal: AbortSignal;
  /**
   * Records progress (0–100) and, for custom kinds, fires `operation.progress` (older progress
   * events still pending for a destination are superseded by the newest).
   */
  progress(percent: number, message: string, data?: unknown): Promise<void>;
  /** Waits `ms` on Herald's clock (a manual clock in tests); rejects when `signal` aborts. */
  sleep(ms: number): Promise<void>;
}

/**
 * Runs one operation of a kind; its return value (JSON) becomes the operation's `result` and the
 * `operation.succeeded` event's `data.result`. Throwing fails the operation with
 * `{code: err.code ?? 13, message: err.message}` and fires `operation.failed`.
 *
 * @example
 * herald.registerExecutor('render.video', async (op, ctx) => {
 *   await ctx.progress(50, 'half way');
 *   return { url: `https://cdn.example.com/${op.id}.mp4` };
 * });
 */
export type Executor = (op: ExecutorOperation, ctx: ExecutorContext) => Promise<unknown>;

/** Internal executors (the simulator) end operations in any final state, with files. */
export type OutcomeExecutor = (op: OperationRecord, ctx: ExecutorContext) => Promise<Outcome>;

export function toExecutorOperation(op: OperationRecord): ExecutorOperation {
  return { name: op.name, id: op.id, kind: op.kind, metadata: op.metadata, attempt: op.attempt };
}

/** The error of a thrown value, as an operation stores it. */
export function errorOf(err: unknown): { code: number | string; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? e.code : 13;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  return { code, message: message.slice(0, 4096) };
}
