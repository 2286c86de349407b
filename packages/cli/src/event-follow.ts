/**
 * Follows the project's event stream (`GET /v1beta/events:stream`) as an async sequence of
 * `Event`s, reconnecting by itself with `Last-Event-ID` when the connection drops, so nothing is
 * missed or repeated. Ends when the signal aborts.
 * @module
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Event } from '@herald/contracts';
import { ApiError, ConnectionError, type HeraldClient } from './client.js';
import { CliError } from './errors.js';
import { readSse, SseParser } from './sse.js';

export interface FollowOptions {
  /** Start after this sequence. */
  after: number;
  /** Only these types (filtered by the server). */
  types?: readonly string[] | undefined;
  signal: AbortSignal;
  /** Called once per (re)connection. */
  onConnect?: (reconnect: boolean) => void;
  /** Called with a reason before waiting to reconnect. */
  onRetry?: (reason: string) => void;
}

function asEvent(data: string): Event | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const e = parsed as Partial<Event>;
  return typeof e.id === 'string' && typeof e.type === 'string' && typeof e.sequence === 'number'
    ? (e as Event)
    : undefined;
}

/** Yields every event after `opts.after` as it commits. */
export async function* followEvents(client: HeraldClient, opts: FollowOptions): AsyncGenerator<Event, void, undefined> {
  const { signal } = opts;
  let after = opts.after;
  let connected = false;
  let failures = 0;
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  while (!signal.aborted) {
    let res: Response;
    const parser = new SseParser();
    try {
      res = await client.streamEvents({ after, types: opts.types, lastEventId: String(after) }, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.httpStatus === 404 && !connected) {
        throw new CliError(
          `this Herald has no event stream (GET /v1beta/events:stream answered 404 ${err.status}): upgrade the server`,
        );
      }
      const transient =
        (err instanceof ApiError && (err.httpStatus >= 500 || err.httpStatus === 429)) ||
        (err instanceof ConnectionError && connected);
      if (!transient) throw err;
      failures++;
      opts.onRetry?.(`stream unavailable (${(err as Error).message}); reconnecting…`);
      await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      continue;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      await res.body?.cancel().catch(() => undefined);
      throw new CliError(
        `${client.baseUrl} answered the event stream with ${type || 'no content type'}, not text/event-stream`,
      );
    }
    opts.onConnect?.(connected);
    connected = true;
    failures = 0;
    try {
      for await (const msg of readSse(res.body!, parser)) {
        const event = asEvent(msg.data);
        if (!event || event.sequence <= after) continue;
        after = event.sequence;
        yield event;
      }
    } catch (err) {
      if (signal.aborted) return;
      opts.onRetry?.(`stream interrupted (${(err as Error).message}); reconnecting…`);
    }
    if (signal.aborted) return;
    await pause(parser.retry ?? 1000);
  }
}
