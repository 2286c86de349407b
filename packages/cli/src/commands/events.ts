/**
 * `herald events list|get|emit|tail`.
 * @module
 */

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from '@commander-js/extra-typings';
import type { Event } from '@herald/contracts';
import { ApiError, ConnectionError, type HeraldClient } from '../client.js';
import { CliError, UsageError } from '../errors.js';
import { chunk, parseEventLines } from '../event-batch.js';
import { latestSequence } from '../event-cursor.js';
import { readSse, SseParser, type SseEvent } from '../sse.js';
import { jsonLine, type Output } from '../ui/output.js';
import { eventColumns, eventFields } from '../ui/present.js';
import { clean, formatTime, truncate } from '../ui/text.js';
import { connect, examples, fetchPages, intOption, listOption, moreHint } from './shared.js';

/** Checks the type against the catalog (`@herald/contracts`, loaded on demand: it is large). */
async function checkType(type: string): Promise<string> {
  const { describeAcceptedEventTypes, isAcceptedEventType } = await import('@herald/contracts');
  if (!isAcceptedEventType(type)) throw new UsageError(`unknown event type "${type}": ${describeAcceptedEventTypes()}`);
  return type;
}

function listCommand() {
  return new Command('list')
    .description('Page through the event log, oldest first')
    .option('--after <sequence>', 'only events after this sequence number', intOption(0, Number.MAX_SAFE_INTEGER))
    .option('--types <types>', 'only these event types (comma-separated or repeated)', listOption)
    .option('--page-size <n>', 'events per page (1-1000, server default 100)', intOption(1, 1000))
    .option('--page-token <token>', 'continue from a previous page')
    .option('--all', 'fetch every page')
    .addHelpText(
      'after',
      examples(
        'herald events list',
        'herald events list --types batch.succeeded,batch.failed --after 120',
        'herald events list --all --json | jq ".events[] | {id, type}"',
      ),
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const page = await fetchPages('events', opts, (p) =>
        client.listEvents({ ...p, after: opts.after, types: opts.types }),
      );
      out.result(page, () =>
        page.events.length === 0
          ? 'No events yet. Emit one:\n  herald events emit invoice.ready --data \'{"id":"inv_1"}\''
          : out.table(page.events, eventColumns(out.c)),
      );
      moreHint(out, page, 'herald events list');
    });
}

function getCommand() {
  return new Command('get')
    .description('Show an event and its payload')
    .argument('<id>', 'event id (evt_…)')
    .addHelpText('after', examples('herald events get evt_01J…', 'herald events get evt_01J… --json | jq .payload'))
    .action(async (eventId, _opts, cmd) => {
      const { client, out } = connect(cmd);
      const event = await client.getEvent(eventId);
      out.result(event, () => eventFields(event, out.c));
      out.hint(`Deliveries: herald deliveries list --event ${event.id}`);
    });
}

function readData(opts: { data?: string | undefined; dataFile?: string | undefined }): Record<string, unknown> {
  if (opts.data !== undefined && opts.dataFile !== undefined)
    throw new UsageError('pass --data or --data-file, not both');
  let text: string;
  let from: string;
  if (opts.dataFile !== undefined) {
    from = opts.dataFile === '-' ? 'stdin' : opts.dataFile;
    try {
      text = readFileSync(opts.dataFile === '-' ? 0 : opts.dataFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${from}: ${(err as Error).message}`, { cause: err });
    }
  } else if (opts.data !== undefined) {
    text = opts.data;
    from = '--data';
  } else {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${from} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${from} must be a JSON object, such as {"id":"inv_1"}`);
  }
  return data as Record<string, unknown>;
}

function emitCommand() {
  return new Command('emit')
    .description('Emit an event to every webhook subscribed to its type')
    .argument('[type]', 'event type: a catalog type or a custom dotted type such as invoice.ready')
    .option('--data <json>', 'event data, a JSON object (default {})')
    .option('--data-file <path>', 'read the event data from a file ("-" for stdin)')
    .option('--idempotency-key <key>', 'emit at most once per key: a repeat returns the original event')
    .option(
      '--file <path>',
      'emit many events from NDJSON, one {"type","data","idempotency_key"?} a line ("-" for stdin), 1,000 a request',
    )
    .addHelpText(
      'after',
      examples(
        'herald events emit invoice.ready --data \'{"id":"inv_1","total":42}\'',
        'herald events emit batch.succeeded --data-file batch.json --idempotency-key batch-7-done',
        'echo \'{"id":"inv_2"}\' | herald events emit invoice.ready --data-file - --json',
        'herald events emit --file events.ndjson',
      ),
    )
    .action(async (type, opts, cmd) => {
      if (opts.file !== undefined) {
        if (type !== undefined || opts.data !== undefined || opts.dataFile !== undefined || opts.idempotencyKey)
          throw new UsageError(
            '--file reads type, data and idempotency_key from each line: pass no <type>, --data, --data-file or --idempotency-key with it',
          );
        await emitFile(opts.file, cmd);
        return;
      }
      if (type === undefined) throw new UsageError('pass an event <type> (or --file events.ndjson for many)');
      const data = readData(opts);
      const { client, out } = connect(cmd);
      const { event, replayed } = await client.emitEvent({ type: await checkType(type), data }, opts.idempotencyKey);
      const deliveries = `${event.delivery_count} ${event.delivery_count === 1 ? 'delivery' : 'deliveries'}`;
      out.result(event, () =>
        replayed
          ? `Already emitted with this Idempotency-Key: ${clean(event.id)} ${clean(event.type)} (sequence ${event.sequence}, ${deliveries})`
          : `${out.c.green(`Emitted ${clean(event.id)}`)} ${out.c.cyan(clean(event.type))} (sequence ${event.sequence}, ${deliveries})`,
      );
      if (event.delivery_count === 0) {
        out.hint(`No webhook subscribes to ${event.type}: herald webhooks create --uri … --events ${event.type}`);
      } else {
        out.hint(`Follow: herald deliveries list --event ${event.id}`);
      }
    });
}

/** `herald events emit --file`: NDJSON in batches of 1,000, each one transaction on the server. */
async function emitFile(path: string, cmd: Parameters<typeof connect>[0]): Promise<void> {
  const from = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${from}: ${(err as Error).message}`, { cause: err });
  }
  const requests = parseEventLines(text, from);
  const { client, out } = connect(cmd);
  const events: Event[] = [];
  const batches = chunk(requests);
  for (const [i, batch] of batches.entries()) {
    try {
      events.push(...(await client.batchCreateEvents(batch)));
    } catch (err) {
      if (i > 0)
        out.hint(`The first ${events.length} events were emitted; batch ${i + 1} of ${batches.length} was not.`);
      throw err;
    }
  }
  const deliveries = events.reduce((n, e) => n + e.delivery_count, 0);
  out.result(
    { events },
    () =>
      `${out.c.green(`Emitted ${events.length} ${events.length === 1 ? 'event' : 'events'}`)} from ${clean(from)} ` +
      `(${deliveries} ${deliveries === 1 ? 'delivery' : 'deliveries'}, ${batches.length} ${batches.length === 1 ? 'request' : 'requests'})`,
  );
}

// --- tail ---------------------------------------------------------------------------------

const KEEPALIVE_TYPES = new Set(['ping', 'heartbeat', 'keepalive', 'keep-alive']);

function asEvent(data: unknown): Event | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const e = data as Partial<Event>;
  return typeof e.id === 'string' && typeof e.type === 'string' ? (e as Event) : undefined;
}

function tailLine(e: Event, out: Output): string {
  const { c } = out;
  const time = typeof e.create_time === 'string' ? formatTime(e.create_time) : formatTime(new Date().toISOString());
  const seq = typeof e.sequence === 'number' ? `#${e.sequence}` : '';
  const data = e.payload && typeof e.payload === 'object' ? JSON.stringify(e.payload.data) : undefined;
  return [
    c.dim(time),
    seq.padStart(6),
    c.cyan(clean(e.type, true)),
    clean(e.id, true),
    data !== undefined ? c.dim(truncate(clean(data, true), 80)) : '',
  ]
    .join('  ')
    .trimEnd();
}

interface TailState {
  after: number | undefined;
  lastEventId: string | undefined;
  count: number;
}

/** Prints one SSE message; returns true when it was an event. */
function handleMessage(msg: SseEvent, out: Output, types: readonly string[] | undefined, state: TailState): boolean {
  if (KEEPALIVE_TYPES.has(msg.type)) return false;
  let data: unknown;
  try {
    data = JSON.parse(msg.data);
  } catch {
    data = undefined;
  }
  const event = asEvent(data);
  if (!event) {
    out.hint(`${msg.type}: ${truncate(clean(msg.data, true), 200)}`);
    return false;
  }
  if (typeof event.sequence === 'number') state.after = event.sequence;
  if (types && types.length > 0 && !types.includes(event.type)) return false;
  if (out.json) process.stdout.write(jsonLine(event));
  else process.stdout.write(`${tailLine(event, out)}\n`);
  state.count++;
  return true;
}

async function tail(
  client: HeraldClient,
  out: Output,
  opts: { types?: string[] | undefined; after?: number | undefined; limit?: number | undefined },
  signal: AbortSignal,
): Promise<void> {
  // Without --after, start at the newest event: `tail` shows what happens from now on.
  const state: TailState = { after: opts.after ?? (await latestSequence(client)), lastEventId: undefined, count: 0 };
  let connected = false;
  let failures = 0;
  for (;;) {
    let res: Response;
    const parser = new SseParser();
    try {
      res = await client.streamEvents(
        { after: state.after, types: opts.types, lastEventId: state.lastEventId },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.httpStatus === 404 && !connected) {
        throw new CliError(
          `this Herald has no event stream (GET /v1beta/events:stream answered 404 ${err.status}): ` +
            'upgrade the server, or poll with `herald events list --after <sequence>`',
        );
      }
      const transient =
        (err instanceof ApiError && (err.httpStatus >= 500 || err.httpStatus === 429)) ||
        (err instanceof ConnectionError && connected);
      if (!transient) throw err;
      failures++;
      out.info(`stream unavailable (${(err as Error).message}); reconnecting…`);
      await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      continue;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      await res.body?.cancel().catch(() => undefined);
      throw new CliError(
        `${client.baseUrl} answered the event stream with ${type || 'no content type'}, not text/event-stream`,
      );
    }
    if (!connected) out.info(`Following events at ${client.baseUrl} (Ctrl-C to stop)`);
    connected = true;
    failures = 0;
    try {
      for await (const msg of readSse(res.body!, parser)) {
        if (msg.lastEventId !== '') state.lastEventId = msg.lastEventId;
        handleMessage(msg, out, opts.types, state);
        if (opts.limit !== undefined && state.count >= opts.limit) return;
      }
    } catch (err) {
      if (signal.aborted) return;
      out.info(`stream interrupted (${(err as Error).message}); reconnecting…`);
    }
    if (signal.aborted) return;
    if (parser.lastEventId !== '') state.lastEventId = parser.lastEventId;
    await sleep(parser.retry ?? 1000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
  }
}

function tailCommand() {
  return new Command('tail')
    .description('Follow events live over the server-sent event stream')
    .option('--types <types>', 'only these event types (comma-separated or repeated)', listOption)
    .option(
      '--after <sequence>',
      'first replay the events after this sequence (0: the whole log); default: only new events',
      intOption(0, Number.MAX_SAFE_INTEGER),
    )
    .option('--limit <n>', 'stop after n events', intOption(1, Number.MAX_SAFE_INTEGER))
    .addHelpText(
      'after',
      `
Reconnects by itself (with Last-Event-ID) when the stream drops, without missing or repeating
an event. --json prints one Event per line.
${examples(
  'herald events tail',
  'herald events tail --types batch.succeeded,batch.failed',
  'herald events tail --after 0 --json --limit 10 | jq -c .payload.data',
)}`,
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await tail(client, out, opts, controller.signal);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        controller.abort();
      }
    });
}

/** The `events` command group. */
export function eventsCommand(): Command {
  return new Command('events')
    .description("Emit events and read the project's event log")
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(emitCommand())
    .addCommand(tailCommand())
    .addHelpText(
      'after',
      examples(
        'herald events emit invoice.ready --data \'{"id":"inv_1"}\'',
        'herald events list --types invoice.ready',
        'herald events get evt_01J…',
        'herald events tail',
      ),
    );
}
