/**
 * `herald ops watch`: follows one operation until it ends. It GETs the operation first (it may be
 * done already), then follows the event stream from the sequence current before that GET, keeping
 * the operation's own events: `operation.progress` moves the progress, any other event of the
 * operation is re-read with one GET. Kinds that announce no event for some ends (a video that
 * fails) are covered by a long-poll (`GET {name}?wait=60s`) running alongside: it answers only
 * when the operation is done, and then gives the stream two seconds to announce the end itself.
 * @module
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Event } from '@herald/contracts';
import type { HeraldClient } from './client.js';
import { CliError } from './errors.js';
import { followEvents } from './event-follow.js';
import { latestSequence } from './event-cursor.js';
import { shownPercent, viewOperation, type OperationView } from './operation-view.js';
import { jsonLine, type Colors } from './ui/output.js';
import { clean, formatDuration, formatTime, truncate } from './ui/text.js';

/** The event types each kind fires (what the stream is filtered to). */
function typesOf(kind: string): string[] | undefined {
  switch (kind) {
    case 'gemini.batch':
      return ['batch.succeeded', 'batch.failed', 'batch.cancelled', 'batch.expired'];
    case 'gemini.video':
      return ['video.generated'];
    case 'gemini.interaction':
      return ['interaction.requires_action', 'interaction.completed', 'interaction.failed', 'interaction.cancelled'];
    case 'unknown':
      return undefined;
    default:
      return ['operation.progress', 'operation.succeeded', 'operation.failed', 'operation.cancelled'];
  }
}

/** How long the long-poll's "done" waits for the stream to announce the end itself. */
const STREAM_GRACE_MS = 2000;
/** No event announces that a worker leased a job: while it is pending, a GET this often finds out. */
const PENDING_POLL_MS = 1000;

/** What caused a change: the first GET, an event, or the long-poll. */
export type ChangeSource = { source: 'get' } | { source: 'event'; event: Event } | { source: 'wait' };

/** Draws the changes: a redrawn line on a terminal, one line per change otherwise, or JSON lines. */
export interface WatchRenderer {
  change(view: OperationView, cause: ChangeSource): void;
  finish(view: OperationView, cause: ChangeSource): void;
  /** Stops the ticker and ends a half-drawn line. */
  close(): void;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\u001b[2K';

function bar(percent: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

function pct(view: OperationView): string {
  const percent = shownPercent(view);
  return percent === undefined ? '' : `${Math.round(percent)}%`.padStart(4);
}

function stateColor(view: OperationView, c: Colors): (t: string) => string {
  switch (view.state) {
    case 'succeeded':
      return c.green;
    case 'failed':
    case 'expired':
      return c.red;
    case 'cancelled':
    case 'requires_action':
      return c.yellow;
    case 'running':
      return c.cyan;
    case 'pending':
      return c.dim;
  }
}

/** The closing line: `✓ operations/x succeeded in 3.2 s`, `✗ batches/y failed: 13 boom`. */
export function finalLine(view: OperationView, c: Colors, watchedMs: number): string {
  const name = clean(view.name, true);
  const start = view.create_time ? Date.parse(view.create_time) : NaN;
  const end = view.end_time ? Date.parse(view.end_time) : NaN;
  const took = Number.isFinite(start) && Number.isFinite(end) ? end - start : watchedMs;
  const why = view.error
    ? `: ${clean(String(view.error.code), true)} ${clean(view.error.message, true)}`.trimEnd()
    : '';
  switch (view.state) {
    case 'succeeded':
      return c.green(`✓ ${name} succeeded in ${formatDuration(took)}`);
    case 'requires_action':
      return c.yellow(`! ${name} requires action (it waits for your function results)`);
    case 'failed':
    case 'cancelled':
    case 'expired':
      return c.red(`✗ ${name} ${view.state}${why}`);
    case 'pending':
    case 'running':
      return `${name} ${view.state}`;
  }
}

export function createRenderer(opts: {
  json: boolean;
  tty: boolean;
  c: Colors;
  write: (text: string) => void;
  now?: () => number;
}): WatchRenderer {
  const { c, write } = opts;
  const now = opts.now ?? Date.now;
  const started = now();
  let last: OperationView | undefined;
  let drawn = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const ttyLine = (v: OperationView): string => {
    const elapsed = c.dim(formatDuration(now() - started).padStart(6));
    const message = v.progress?.message ? `  ${truncate(clean(v.progress.message, true), 60)}` : '';
    const progress = v.progress ? `  ${c.cyan(bar(v.progress.percent))} ${pct(v)}` : '';
    return `${clean(v.name, true)}  ${stateColor(v, c)(v.state)}${progress}${message}  ${elapsed}`;
  };
  const plainLine = (v: OperationView): string =>
    [
      c.dim(formatTime(new Date(now()).toISOString())),
      stateColor(v, c)(v.state.padEnd(9)),
      pct(v).padStart(4),
      v.progress?.message ? clean(v.progress.message, true) : '',
    ]
      .join('  ')
      .trimEnd();
  const json = (v: OperationView, cause: ChangeSource) =>
    jsonLine({
      ...v,
      source: cause.source,
      ...(cause.source === 'event'
        ? { event: { id: cause.event.id, type: cause.event.type, sequence: cause.event.sequence } }
        : {}),
    });
  const same = (a: OperationView | undefined, b: OperationView) =>
    a !== undefined &&
    a.state === b.state &&
    a.progress?.percent === b.progress?.percent &&
    a.progress?.message === b.progress?.message;

  return {
    change(view, cause) {
      if (same(last, view)) return;
      last = view;
      if (opts.json) write(json(view, cause));
      else if (opts.tty) {
        write(`${CLEAR_LINE}${ttyLine(view)}`);
        drawn = true;
        ticker ??= setInterval(() => {
          if (last) write(`${CLEAR_LINE}${ttyLine(last)}`);
        }, 1000);
        ticker.unref();
      } else write(`${plainLine(view)}\n`);
    },
    finish(view, cause) {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (opts.json) {
        write(json(view, cause));
        return;
      }
      if (opts.tty && drawn) write(CLEAR_LINE);
      drawn = false;
      write(`${finalLine(view, c, now() - started)}\n`);
    },
    close() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (drawn) write('\n');
      drawn = false;
    },
  };
}

/** Reads `data.progress` of an `operation.progress` event. */
function eventProgress(e: Event): OperationView['progress'] {
  const p = (e.payload.data as { progress?: { percent?: unknown; message?: unknown } }).progress;
  if (!p || typeof p.percent !== 'number') return undefined;
  return { percent: p.percent, message: typeof p.message === 'string' ? p.message : '' };
}

export interface WatchOptions {
  renderer: WatchRenderer;
  signal: AbortSignal;
  /** Give up after this many seconds (the operation keeps going). */
  timeoutSeconds?: number | undefined;
  /** Status lines (connecting, reconnecting) for stderr. */
  info?: (text: string) => void;
}

/** Follows `name` until it is done; resolves with its final view. */
export async function watchOperation(client: HeraldClient, name: string, opts: WatchOptions): Promise<OperationView> {
  const { renderer } = opts;
  // The cursor comes BEFORE the read: whatever changes after the read is an event after it.
  const after = await latestSequence(client);
  let view = viewOperation(name, await client.getOperation(name));
  if (view.done) {
    renderer.finish(view, { source: 'get' });
    return view;
  }
  renderer.change(view, { source: 'get' });
  const snapshotTime = view.update_time !== undefined ? Date.parse(view.update_time) : NaN;

  const stop = new AbortController();
  const signals = [opts.signal, stop.signal];
  if (opts.timeoutSeconds !== undefined) signals.push(AbortSignal.timeout(opts.timeoutSeconds * 1000));
  const signal = AbortSignal.any(signals);

  let settle!: (v: OperationView) => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<OperationView>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const end = (final: OperationView, cause: ChangeSource) => {
    if (stop.signal.aborted) return;
    stop.abort();
    renderer.finish(final, cause);
    settle(final);
  };
  const failed = (err: unknown) => {
    if (signal.aborted) return;
    stop.abort();
    fail(err);
  };

  const followStream = async () => {
    for await (const e of followEvents(client, {
      after,
      types: typesOf(view.kind),
      signal,
      onRetry: (reason) => opts.info?.(reason),
    })) {
      if (e.operation !== name) continue;
      if (e.type === 'operation.progress') {
        // Events from before the first GET are already in its snapshot.
        if (Number.isFinite(snapshotTime) && Date.parse(e.create_time) <= snapshotTime) continue;
        const progress = eventProgress(e);
        if (!progress) continue;
        view = { ...view, state: 'running', progress };
        renderer.change(view, { source: 'event', event: e });
        continue;
      }
      const next = viewOperation(name, await client.getOperation(name));
      if (next.done) {
        end(next, { source: 'event', event: e });
        return;
      }
      // Gemini surfaces carry no progress: keep the last one seen.
      view = next.progress || !view.progress ? next : { ...next, progress: view.progress };
      renderer.change(view, { source: 'event', event: e });
    }
  };
  // The safety net: the stream usually brings the end a moment later; it wins when it does.
  const longPoll = async () => {
    while (!signal.aborted && view.state === 'pending') {
      await sleep(PENDING_POLL_MS, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      const next = viewOperation(name, await client.getOperation(name, undefined, signal));
      if (next.done) break;
      if (view.state === 'pending' && next.state !== 'pending') {
        view = next.progress || !view.progress ? next : { ...next, progress: view.progress };
        renderer.change(view, { source: 'get' });
      }
    }
    while (!signal.aborted) {
      const next = viewOperation(name, await client.getOperation(name, '60s', signal));
      if (next.done) {
        await sleep(STREAM_GRACE_MS, undefined, { signal }).catch(() => undefined);
        end(next, { source: 'wait' });
        return;
      }
    }
  };
  followStream().catch(failed);
  longPoll().catch(failed);

  const interrupted = new Promise<never>((_, reject) => {
    signal.addEventListener(
      'abort',
      () => {
        if (stop.signal.aborted) return; // ended normally
        renderer.close();
        if (opts.signal.aborted) reject(new WatchInterrupted(view));
        else
          reject(
            new CliError(
              `timed out after ${opts.timeoutSeconds ?? 0} s; ${name} is still ${view.state}: ` +
                `\`herald ops watch ${name}\` follows it again`,
            ),
          );
      },
      { once: true },
    );
  });
  try {
    return await Promise.race([done, interrupted]);
  } finally {
    stop.abort();
    renderer.close();
  }
}

/** Ctrl-C while watching: the operation goes on. */
export class WatchInterrupted extends CliError {
  readonly view: OperationView;

  constructor(view: OperationView) {
    super(`stopped watching; ${view.name} is still ${view.state}: \`herald ops get ${view.name}\``, 130);
    this.name = 'WatchInterrupted';
    this.view = view;
  }
}
