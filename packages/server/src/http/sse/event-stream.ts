import type { ServerResponse } from 'node:http';
import type { Clock } from '../../kernel/clock.js';
import type { EventFeed } from '../../services/event-feed.js';
import type { EventRecord } from '../../model/records.js';
import type { EventService } from '../../services/event-service.js';
import { presentEvent } from '../present.js';

export interface EventStreamOptions {
  res: ServerResponse;
  events: Pick<EventService, 'list'>;
  feed: EventFeed;
  clock: Clock;
  projectId: string;
  /** Send events with a sequence above this one. */
  after: number;
  types?: string[];
  heartbeatMs: number;
  pageSize: number;
  onError: (err: unknown) => void;
}

/** One open stream; `close()` ends the response (idempotent). */
export interface EventStream {
  readonly closed: Promise<void>;
  close(): void;
}

/** One SSE frame: `id` is the sequence (the `Last-Event-ID` to resume from), `event` the type. */
export function eventFrame(e: EventRecord): string {
  return `id: ${e.sequence}\nevent: ${e.type}\ndata: ${JSON.stringify(presentEvent(e))}\n\n`;
}

/**
 * Streams a project's event log as Server-Sent Events: everything after the cursor, read from the
 * store page by page, then each new event as it commits. The store is the only source of events:
 * a notice only says "read again after your cursor", so the replay → live hand-over can neither
 * skip nor repeat one. The feed watch starts BEFORE the replay; notices that arrive meanwhile set
 * a flag that makes the reader go round once more, and a notice at or below the cursor is ignored.
 * A heartbeat comment every `heartbeatMs` keeps proxies from timing the connection out and also
 * re-reads the store (a safety net for notices lost between processes). Respects backpressure.
 */
export function openEventStream(o: EventStreamOptions): EventStream {
  const { res } = o;
  let cursor = o.after;
  /** Highest sequence known to have been read past (with a type filter, may exceed `cursor`). */
  let scanned = o.after;
  let noticed = o.after;
  let reading = false;
  let again = false;
  let isClosed = false;
  let heartbeat: unknown;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  const write = async (chunk: string): Promise<void> => {
    if (isClosed || res.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  const read = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const target = noticed;
        for (;;) {
          const rows = await o.events.list(o.projectId, {
            afterSequence: cursor,
            pageSize: o.pageSize,
            ...(o.types ? { types: o.types } : {}),
          });
          for (const e of rows) {
            if (isClosed) return;
            if (e.sequence <= cursor) continue;
            await write(eventFrame(e));
            cursor = e.sequence;
          }
          if (rows.length < o.pageSize) break;
        }
        scanned = Math.max(scanned, cursor, target);
      } while (again && !isClosed);
    } catch (err) {
      o.onError(err);
      close();
    } finally {
      reading = false;
    }
  };

  const beat = (): void => {
    heartbeat = o.clock.setTimeout(() => {
      if (isClosed) return;
      void write(': heartbeat\n\n');
      void read();
      beat();
    }, o.heartbeatMs);
  };

  const stopWatching = o.feed.watch(o.projectId, (sequence) => {
    if (sequence <= scanned) return;
    noticed = Math.max(noticed, sequence);
    void read();
  });

  function close(): void {
    if (isClosed) return;
    isClosed = true;
    stopWatching();
    o.clock.clearTimeout(heartbeat);
    if (!res.writableEnded) res.end();
    resolveClosed();
  }

  res.on('close', close);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  void write(': connected\n\n');
  beat();
  void read();
  return { closed, close };
}
