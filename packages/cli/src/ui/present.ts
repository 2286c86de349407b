/**
 * Human renderings of the API resources, shared by the command groups.
 * @module
 */

import type { Attempt, Delivery, Event, Webhook } from '@herald/contracts';
import type { Colors } from './output.js';
import { renderFields, renderTable, type Column, type TableOptions } from './table.js';
import { clean, formatDuration, formatRelative, formatTime } from './text.js';

/** `2026-05-04 10:20:30Z (3 min ago)`. */
export function when(iso: string | undefined, c: Colors, now = Date.now()): string | undefined {
  if (iso === undefined) return undefined;
  return `${formatTime(iso)} ${c.dim(`(${formatRelative(iso, now)})`)}`;
}

/** The colour of a webhook state. */
export function webhookStateColor(state: string, c: Colors): (text: string) => string {
  if (state === 'enabled') return c.green;
  if (state === 'disabled') return c.yellow;
  return c.red;
}

/** The colour of a delivery status. */
export function deliveryStatusColor(status: string, c: Colors): (text: string) => string {
  switch (status) {
    case 'succeeded':
      return c.green;
    case 'failed':
      return c.red;
    case 'pending':
      return c.yellow;
    case 'in_flight':
      return c.cyan;
    default:
      return c.dim;
  }
}

/** Did this attempt get a 2xx answer? */
export function attemptSucceeded(a: Attempt): boolean {
  return a.status_code !== undefined && a.status_code >= 200 && a.status_code < 300 && a.error_code === undefined;
}

/** `HTTP 200 in 12 ms`, `HTTP 503 in 4 ms: Service Unavailable`, `ECONNREFUSED after 2 ms: …`. */
export function describeAttempt(a: Attempt): string {
  const took = formatDuration(a.duration_ms);
  const error = a.error_message !== undefined ? clean(a.error_message, true) : undefined;
  if (a.status_code !== undefined) {
    return `HTTP ${a.status_code} in ${took}${error !== undefined ? `: ${error}` : ''}`;
  }
  return `${a.error_code ?? 'no answer'} after ${took}${error !== undefined ? `: ${error}` : ''}`;
}

export function webhookFields(w: Webhook, c: Colors): string {
  const secrets = w.signing_secrets
    .map((s) =>
      s.expire_time === undefined
        ? clean(s.truncated_secret)
        : `${clean(s.truncated_secret)} ${c.dim(`(expires ${formatTime(s.expire_time)})`)}`,
    )
    .join(', ');
  return renderFields(
    [
      ['ID', clean(w.id)],
      ['Name', w.name === '' ? c.dim('(none)') : clean(w.name)],
      ['URI', clean(w.uri)],
      ['State', webhookStateColor(w.state, c)(clean(w.state))],
      ['Events', clean(w.subscribed_events.join(', '))],
      ['Secrets', secrets || c.dim('(none)')],
      ['Created', when(w.create_time, c)],
      ['Updated', when(w.update_time, c)],
    ],
    c.dim,
  );
}

export function webhookColumns(c: Colors): Column<Webhook>[] {
  return [
    { header: 'ID', value: (w) => w.id },
    { header: 'NAME', value: (w) => w.name, max: 24 },
    { header: 'STATE', value: (w) => w.state, style: (t, w) => webhookStateColor(w.state, c)(t) },
    { header: 'EVENTS', value: (w) => w.subscribed_events.join(','), max: 40 },
    { header: 'URI', value: (w) => w.uri, flex: true },
  ];
}

export function eventColumns(c: Colors): Column<Event>[] {
  return [
    { header: 'SEQ', value: (e) => String(e.sequence), align: 'right' },
    { header: 'ID', value: (e) => e.id },
    { header: 'TYPE', value: (e) => e.type, max: 32, style: (t) => c.cyan(t) },
    { header: 'DELIVERIES', value: (e) => String(e.delivery_count), align: 'right' },
    { header: 'CREATED', value: (e) => `${formatTime(e.create_time)} (${formatRelative(e.create_time)})` },
  ];
}

export function eventFields(e: Event, c: Colors): string {
  const head = renderFields(
    [
      ['ID', clean(e.id)],
      ['Type', c.cyan(clean(e.type))],
      ['Sequence', String(e.sequence)],
      ['Message ID', `${clean(e.message_id)} ${c.dim('(the webhook-id header of every delivery)')}`],
      ['Operation', e.operation !== undefined ? clean(e.operation) : undefined],
      ['Deliveries', String(e.delivery_count)],
      ['Created', when(e.create_time, c)],
    ],
    c.dim,
  );
  return `${head}\n\n${c.dim('Payload')}\n${clean(JSON.stringify(e.payload, null, 2))}`;
}

function lastResult(d: Delivery): string {
  if (d.last_status_code !== undefined) return `HTTP ${d.last_status_code}`;
  if (d.last_error !== undefined) return d.last_error;
  return '-';
}

export function deliveryColumns(c: Colors): Column<Delivery>[] {
  return [
    { header: 'ID', value: (d) => d.id },
    { header: 'STATUS', value: (d) => d.status, style: (t, d) => deliveryStatusColor(d.status, c)(t) },
    { header: 'EVENT', value: (d) => d.event_type, max: 28 },
    { header: 'ATTEMPTS', value: (d) => String(d.attempt_count), align: 'right' },
    { header: 'LAST', value: lastResult, max: 24 },
    { header: 'UPDATED', value: (d) => formatRelative(d.update_time) },
    { header: 'DESTINATION', value: (d) => d.destination.uri, flex: true },
  ];
}

export function deliveryFields(d: Delivery, c: Colors): string {
  return renderFields(
    [
      ['ID', clean(d.id)],
      [
        'Status',
        `${deliveryStatusColor(d.status, c)(clean(d.status))}${d.status_reason ? ` ${c.dim(`(${clean(d.status_reason)})`)}` : ''}`,
      ],
      ['Event', `${clean(d.event_id)} ${c.cyan(clean(d.event_type))}`],
      ['Message ID', clean(d.message_id)],
      [
        'Destination',
        `${clean(d.destination.uri)}${d.destination.webhook_id ? c.dim(` (webhook ${clean(d.destination.webhook_id)})`) : c.dim(' (dynamic)')}`,
      ],
      ['Attempts', String(d.attempt_count)],
      ['Last result', d.attempt_count > 0 ? clean(lastResult(d)) : undefined],
      ['Next attempt', when(d.next_attempt_time, c)],
      ['Deadline', when(d.deadline_time, c)],
      ['Created', when(d.create_time, c)],
      ['Updated', when(d.update_time, c)],
    ],
    c.dim,
  );
}

/** Every attempt: number, trigger, start, status code, duration, error and response excerpt. */
export function attemptsTable(attempts: readonly Attempt[], c: Colors, options: TableOptions): string {
  const columns: Column<Attempt>[] = [
    { header: '#', value: (a) => String(a.number), align: 'right' },
    { header: 'TRIGGER', value: (a) => a.trigger },
    { header: 'STARTED', value: (a) => formatTime(a.start_time) },
    {
      header: 'STATUS',
      value: (a) => (a.status_code !== undefined ? String(a.status_code) : '-'),
      align: 'right',
      style: (t, a) => (attemptSucceeded(a) ? c.green(t) : c.red(t)),
    },
    { header: 'DURATION', value: (a) => formatDuration(a.duration_ms), align: 'right' },
    {
      header: 'ERROR',
      value: (a) => [a.error_code, a.error_message].filter((x): x is string => x !== undefined).join(': ') || '-',
      max: 48,
    },
    { header: 'RESPONSE', value: (a) => a.response_excerpt ?? '', flex: true, max: 60 },
  ];
  return renderTable(attempts, columns, options);
}
