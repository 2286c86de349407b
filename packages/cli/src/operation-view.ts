/**
 * One view of an operation whatever surface serves it: a Herald operation (`operations/x`, and
 * every kind in `GET /v1beta/operations`), a Gemini batch (`batches/x`: `metadata.state` is
 * `BATCH_STATE_*`), a video operation (`models/m/operations/x`: only `{name}` until `done`) or an
 * interaction (`interactions/x`: `status`). `ops get|watch|cancel` render and decide on this view;
 * `--json` still prints the resource exactly as the server sent it.
 * @module
 */

import type { OperationState } from './client.js';
import { UsageError } from './errors.js';

/** What the CLI needs to know about an operation. */
export interface OperationView {
  name: string;
  /** `render.video`, `gemini.batch`, … (inferred from the name for Gemini surfaces). */
  kind: string;
  state: OperationState;
  done: boolean;
  progress?: { percent: number; message: string };
  error?: { code: number | string; message: string };
  create_time?: string;
  update_time?: string;
  end_time?: string;
}

/**
 * The percent to show: 100 once an operation succeeded (its last progress report may have been
 * 40 % or 90 %: workers need not report the end), else the last one reported.
 */
export function shownPercent(o: { state: string; progress?: { percent: number } | undefined }): number | undefined {
  if (o.state === 'succeeded') return 100;
  return o.progress?.percent;
}

/** States an operation ends in, and whether reaching them counts as success for the exit status. */
export const FINAL_OK: readonly OperationState[] = ['succeeded', 'requires_action'];
export const FINAL_BAD: readonly OperationState[] = ['failed', 'cancelled', 'expired'];

const NAME_PATTERNS = [
  /^operations\/[^/:?#\s]+$/,
  /^batches\/[^/:?#\s]+$/,
  /^interactions\/[^/:?#\s]+$/,
  /^models\/[^/:?#\s]+\/operations\/[^/:?#\s]+$/,
];

/**
 * Checks an operation name from the command line. A bare id means `operations/{id}`; a leading
 * `/`, `v1beta/` or `v1/` is dropped, so a path copied from a URL works too.
 */
export function parseOperationName(raw: string): string {
  const name = raw
    .trim()
    .replace(/^\/+/, '')
    .replace(/^v1(beta)?\//, '');
  const full = name.includes('/') ? name : `operations/${name}`;
  if (NAME_PATTERNS.some((p) => p.test(full))) return full;
  throw new UsageError(
    `"${raw}" is not an operation name: expected operations/{id}, batches/{id}, interactions/{id} or ` +
      'models/{model}/operations/{id} (list them with `herald ops list`)',
  );
}

/** The kind behind a name, for the Gemini surfaces whose resources do not say it. */
export function kindOfName(name: string): string | undefined {
  if (name.startsWith('batches/')) return 'gemini.batch';
  if (name.startsWith('interactions/')) return 'gemini.interaction';
  if (name.startsWith('models/')) return 'gemini.video';
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function errorOf(v: unknown): OperationView['error'] {
  const e = obj(v);
  if (!e) return undefined;
  const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : 'UNKNOWN';
  return { code, message: str(e.message) ?? '' };
}

function progressOf(v: unknown): OperationView['progress'] {
  const p = obj(v);
  if (!p || typeof p.percent !== 'number') return undefined;
  return { percent: p.percent, message: str(p.message) ?? '' };
}

const BATCH_STATES: Record<string, OperationState> = {
  BATCH_STATE_PENDING: 'pending',
  BATCH_STATE_RUNNING: 'running',
  BATCH_STATE_SUCCEEDED: 'succeeded',
  BATCH_STATE_FAILED: 'failed',
  BATCH_STATE_CANCELLED: 'cancelled',
  BATCH_STATE_EXPIRED: 'expired',
};

const INTERACTION_STATES: Record<string, OperationState> = {
  in_progress: 'running',
  requires_action: 'requires_action',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  incomplete: 'expired',
};

const isFinal = (s: OperationState) => FINAL_OK.includes(s) || FINAL_BAD.includes(s);

function withTimes(view: OperationView, times: Record<string, unknown>, keys: [string, string, string]): OperationView {
  const [create, update, end] = keys.map((k) => str(times[k]));
  return {
    ...view,
    ...(create !== undefined ? { create_time: create } : {}),
    ...(update !== undefined ? { update_time: update } : {}),
    ...(end !== undefined ? { end_time: end } : {}),
  };
}

/** Builds the view from `GET /v1beta/{name}` (or a list item). */
export function viewOperation(name: string, resource: Record<string, unknown>): OperationView {
  const r = resource;
  // Herald-native: every kind, as `GET /v1beta/operations` and `GET /v1beta/operations/{id}` return it.
  if (typeof r.state === 'string' && typeof r.kind === 'string') {
    const state = r.state as OperationState;
    const progress = progressOf(r.progress);
    const error = errorOf(r.error);
    return withTimes(
      {
        name: str(r.name) ?? name,
        kind: r.kind,
        state,
        done: r.done === true || isFinal(state),
        ...(progress ? { progress } : {}),
        ...(error ? { error } : {}),
      },
      r,
      ['create_time', 'update_time', 'end_time'],
    );
  }
  const kind = kindOfName(name) ?? 'unknown';
  // Gemini batch: an Operation whose metadata is the GenerateContentBatch.
  const meta = obj(r.metadata);
  if (meta && typeof meta.state === 'string') {
    const state = BATCH_STATES[meta.state] ?? 'running';
    const error = errorOf(r.error);
    return withTimes(
      { name: str(r.name) ?? name, kind, state, done: r.done === true || isFinal(state), ...(error ? { error } : {}) },
      meta,
      ['createTime', 'updateTime', 'endTime'],
    );
  }
  // Interaction: `status`, errors[].
  if (typeof r.status === 'string') {
    const state = INTERACTION_STATES[r.status] ?? 'running';
    const first = Array.isArray(r.errors) ? errorOf(r.errors[0]) : undefined;
    return withTimes({ name, kind, state, done: isFinal(state), ...(first ? { error: first } : {}) }, r, [
      'created',
      'updated',
      'updated',
    ]);
  }
  // Video (a google.longrunning.Operation): `{name}` while running, then `done` with response or error.
  if (r.done !== true) return { name: str(r.name) ?? name, kind, state: 'running', done: false };
  const error = errorOf(r.error);
  if (!error) return { name: str(r.name) ?? name, kind, state: 'succeeded', done: true };
  const state: OperationState = error.code === 1 ? 'cancelled' : error.code === 4 ? 'expired' : 'failed';
  return { name: str(r.name) ?? name, kind, state, done: true, error };
}
