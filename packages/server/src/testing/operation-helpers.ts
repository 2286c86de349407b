import type { ReceivedRequest, Receiver } from './receiver.js';
import type { TestHerald } from './test-herald.js';

export interface ReceivedEvent {
  type: string;
  data: Record<string, unknown>;
  webhookId: string;
  timestamp: string;
}

/** The envelopes a receiver got, parsed, with their Standard Webhooks headers. */
export function eventsOf(requests: readonly ReceivedRequest[]): ReceivedEvent[] {
  return requests.map((r) => {
    const body = JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
    return {
      type: body.type,
      data: body.data,
      webhookId: String(r.headers['webhook-id']),
      timestamp: String(r.headers['webhook-timestamp']),
    };
  });
}

/** Registers a static webhook for `events` at the receiver; returns its id and secret. */
export async function subscribe(h: TestHerald, rx: Receiver, events: string[]) {
  const res = await h.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
    name: 'test',
    uri: rx.url,
    subscribed_events: events,
  });
  if (res.status !== 200) throw new Error(`creating a webhook failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface DeliveryView {
  event_type: string;
  status: string;
  destination: { type: string; uri: string; webhook_id?: string };
  event_id: string;
}

/** Every delivery of the project (the outbox), in event order (ids tie within a millisecond). */
export async function deliveries(h: TestHerald): Promise<DeliveryView[]> {
  const res = await h.api<{ deliveries: DeliveryView[] }>('GET', '/v1beta/deliveries?page_size=1000');
  const events = await h.api<{ events: { id: string; sequence: number }[] }>('GET', '/v1beta/events?page_size=1000');
  const seq = new Map(events.body.events.map((e) => [e.id, e.sequence]));
  return res.body.deliveries
    .slice()
    .sort(
      (a, b) =>
        (seq.get(a.event_id) ?? 0) - (seq.get(b.event_id) ?? 0) || a.destination.uri.localeCompare(b.destination.uri),
    );
}

/** Every event of the project, in order, as their envelopes. */
export async function loggedEvents(h: TestHerald, operation?: string) {
  const res = await h.api<{
    events: { type: string; operation?: string; payload: { data: Record<string, unknown> } }[];
  }>('GET', '/v1beta/events?page_size=1000');
  return res.body.events.filter((e) => operation === undefined || e.operation === operation);
}

/** GET an operation with a long-poll until it is done (the wait ends at 60 s). */
export async function waitDone<T = Record<string, unknown>>(h: TestHerald, path: string): Promise<T> {
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await h.api<T & { done?: boolean; error?: unknown }>('GET', `${path}${sep}wait=60s`);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.done === true) return res.body;
  }
}
