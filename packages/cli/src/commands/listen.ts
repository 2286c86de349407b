/**
 * `herald listen --forward-to <url>`: deliveries for a receiver Herald cannot reach (a laptop
 * behind NAT). It registers a temporary destination, receives its delivery attempts over a stream
 * from the server, forwards each to the local URL with the original headers and body (so the
 * signatures still verify), reports the local answer back (so Herald's retries and attempt log
 * stay true) and, on Ctrl-C, removes the destination.
 * @module
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from '@commander-js/extra-typings';
import {
  ApiError,
  causeCode,
  ConnectionError,
  type HeraldClient,
  type Listener,
  type ListenerDelivery,
  type ListenerReport,
} from '../client.js';
import { CliError, UsageError } from '../errors.js';
import { readSse, SseParser } from '../sse.js';
import { jsonLine, type Output } from '../ui/output.js';
import { clean, formatDuration, formatTime } from '../ui/text.js';
import { connect, examples, intOption, listOption } from './shared.js';

const EXCERPT_BYTES = 4096;

/** The event types to forward: the ones given (checked), or every catalog type. */
async function eventTypes(events: readonly string[] | undefined): Promise<string[]> {
  const contracts = await import('@herald/contracts');
  if (events === undefined) return [...contracts.GEMINI_EVENT_TYPES, ...contracts.HERALD_EVENT_TYPES];
  if (events.length === 0) throw new UsageError('--events needs at least one event type');
  const bad = events.filter((e) => !contracts.isAcceptedEventType(e));
  if (bad.length > 0) {
    throw new UsageError(
      `unknown event type ${bad.map((b) => `"${b}"`).join(', ')}: ${contracts.describeAcceptedEventTypes()}`,
    );
  }
  return [...new Set(events)];
}

function forwardTarget(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--forward-to must be a URL such as http://localhost:3000/webhooks, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--forward-to must be an http(s) URL, got "${raw}"`);
  return url.toString();
}

/** Reads at most `limit` bytes of a response body as UTF-8, then drops the rest. */
async function excerpt(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\uFFFD$/, '');
}

/** Sends one pushed attempt to the local receiver, exactly as Herald would have sent it. */
async function forward(target: string, d: ListenerDelivery, timeoutMs: number): Promise<ListenerReport> {
  const started = performance.now();
  const took = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: d.headers,
      body: d.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await excerpt(res, EXCERPT_BYTES);
    return { attempt: d.attempt, status_code: res.status, duration_ms: took(), response_excerpt: text };
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    const code = timedOut ? 'ETIMEDOUT' : (causeCode(err) ?? 'EFORWARD');
    const cause = (err as { cause?: unknown }).cause;
    const message = timedOut
      ? `the local receiver did not answer within ${timeoutMs / 1000} s`
      : cause instanceof Error
        ? cause.message
        : (err as Error).message;
    return { attempt: d.attempt, duration_ms: took(), error: { code, message } };
  }
}

function eventTypeOf(body: string): string {
  try {
    const t = (JSON.parse(body) as { type?: unknown }).type;
    return typeof t === 'string' ? t : '?';
  } catch {
    return '?';
  }
}

interface Session {
  client: HeraldClient;
  out: Output;
  listener: Listener;
  target: string;
  timeoutMs: number;
}

/** Forwards one delivery, reports the answer and prints one line. */
async function handle(s: Session, d: ListenerDelivery): Promise<void> {
  const { out } = s;
  const { c } = out;
  const report = await forward(s.target, d, s.timeoutMs);
  let reportError: string | undefined;
  try {
    await s.client.reportListenerDelivery(s.listener.id, d.delivery_id, report);
  } catch (err) {
    reportError = (err as Error).message;
  }
  const event = eventTypeOf(d.body);
  const time = new Date().toISOString();
  if (out.json) {
    process.stdout.write(
      jsonLine({
        time,
        delivery_id: d.delivery_id,
        attempt: d.attempt,
        event_type: event,
        message_id: d.headers['webhook-id'],
        ...(report.status_code !== undefined ? { status_code: report.status_code } : {}),
        duration_ms: report.duration_ms,
        ...(report.error ? { error: report.error } : {}),
        ...(reportError !== undefined ? { report_error: reportError } : {}),
      }),
    );
  } else {
    const ok = report.status_code !== undefined && report.status_code >= 200 && report.status_code < 300;
    const status = report.status_code !== undefined ? String(report.status_code) : (report.error?.code ?? 'no answer');
    process.stdout.write(
      [
        c.dim(formatTime(time)),
        c.cyan(clean(event, true)),
        ok ? c.green(status) : c.red(status),
        formatDuration(report.duration_ms).padStart(7),
        c.dim(`${d.delivery_id} attempt ${d.attempt}`),
        report.error ? c.red(clean(report.error.message, true)) : '',
      ]
        .join('  ')
        .trimEnd() + '\n',
    );
  }
  if (reportError !== undefined) out.warn(`could not report ${d.delivery_id} to Herald: ${reportError}`);
}

/** Follows the listener's stream until the signal aborts, reconnecting when it drops. */
async function follow(s: Session, signal: AbortSignal, inFlight: Set<Promise<void>>): Promise<void> {
  let failures = 0;
  let connected = false;
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  while (!signal.aborted) {
    let res: Response;
    const parser = new SseParser();
    try {
      res = await s.client.streamListener(s.listener.id, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.httpStatus === 404)
        throw new CliError(`listener ${s.listener.id} is gone (${err.serverMessage}); start \`herald listen\` again`);
      const transient =
        (err instanceof ApiError && (err.httpStatus >= 500 || err.httpStatus === 429)) ||
        err instanceof ConnectionError;
      if (!transient) throw err;
      failures++;
      s.out.info(`stream unavailable (${(err as Error).message}); reconnecting…`);
      await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      continue;
    }
    failures = 0;
    s.out.info(connected ? 'Reconnected.' : `Ready: forwarding to ${s.target} (Ctrl-C to stop)`);
    connected = true;
    try {
      for await (const msg of readSse(res.body!, parser)) {
        if (msg.type !== 'delivery') continue;
        let d: ListenerDelivery;
        try {
          d = JSON.parse(msg.data) as ListenerDelivery;
        } catch {
          continue;
        }
        const p = handle(s, d).catch((err: unknown) => s.out.warn(`forwarding failed: ${(err as Error).message}`));
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    } catch (err) {
      if (signal.aborted) return;
      s.out.info(`stream interrupted (${(err as Error).message}); reconnecting…`);
    }
    if (signal.aborted) return;
    await pause(parser.retry ?? 1000);
  }
}

export function listenCommand() {
  return new Command('listen')
    .description("Forward deliveries to a local URL that Herald can't reach (a laptop behind NAT)")
    .requiredOption('--forward-to <url>', 'the local receiver, e.g. http://localhost:3000/webhooks')
    .option(
      '--events <types>',
      'event types to forward (comma-separated or repeated; default: every catalog type)',
      listOption,
    )
    .option('--name <name>', 'name of the temporary destination (default "herald listen")')
    .option('--timeout <seconds>', 'how long the local receiver may take to answer', intOption(1, 120), 10)
    .addHelpText(
      'after',
      `
Herald registers a temporary destination and pushes each delivery attempt to this command over a
stream; it is POSTed to --forward-to with the original headers and body, so the signatures verify
with the printed secret, and the local answer is reported back: a 500 makes Herald retry on its
schedule, exactly as for a public endpoint. Ctrl-C removes the destination (exit 0).

--json prints the listener (with its "secret") on the first line, then one object per attempt:
{"time", "delivery_id", "attempt", "event_type", "message_id", "status_code" | "error", "duration_ms"}.
${examples(
  'herald listen --forward-to http://localhost:3000/webhooks',
  'herald listen --forward-to http://localhost:3000/webhooks --events batch.succeeded,invoice.ready',
  'herald listen --forward-to http://127.0.0.1:8000/hooks --json | jq -c "{event_type, status_code}"',
)}`,
    )
    .action(async (opts, cmd) => {
      const target = forwardTarget(opts.forwardTo);
      const events = await eventTypes(opts.events);
      const { client, out } = connect(cmd);
      const listener = await client.createListener({
        subscribed_events: events,
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      const { c } = out;
      if (out.json) process.stdout.write(jsonLine(listener));
      else {
        const shown = opts.events === undefined ? `every catalog event (${events.length} types)` : events.join(', ');
        process.stdout.write(
          [
            `Forwarding ${c.cyan(clean(shown, true))} → ${clean(target, true)}`,
            `${c.bold('Signing secret')}  ${clean(listener.secret ?? '(not returned)')}`,
            '',
          ].join('\n'),
        );
        out.hint(
          `Listener ${listener.id}: the deliveries keep Herald's signatures; verify them with the secret above.`,
        );
      }

      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const inFlight = new Set<Promise<void>>();
      const session: Session = { client, out, listener, target, timeoutMs: opts.timeout * 1000 };
      try {
        await follow(session, controller.signal, inFlight);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        controller.abort();
        // Let forwards in progress report their answer, then remove the destination.
        await Promise.race([Promise.allSettled([...inFlight]), sleep(opts.timeout * 1000, undefined, { ref: false })]);
        try {
          await client.deleteListener(listener.id);
          out.info(`Removed listener ${listener.id}.`);
        } catch (err) {
          if (!(err instanceof ApiError && err.httpStatus === 404))
            out.warn(`could not remove listener ${listener.id}: ${(err as Error).message}`);
        }
      }
    });
}
