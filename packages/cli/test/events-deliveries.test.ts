import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../../server/src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, json } from './helpers/cli.js';

interface EventJson {
  id: string;
  type: string;
  sequence: number;
  message_id: string;
  create_time: string;
  delivery_count: number;
  payload: { type: string; version: string; timestamp: string; data: Record<string, unknown> };
}

interface AttemptJson {
  number: number;
  trigger: string;
  start_time: string;
  duration_ms: number;
  status_code?: number;
  error_code?: string;
  error_message?: string;
  response_excerpt?: string;
}

interface DeliveryJson {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  destination: { type: string; webhook_id?: string; uri: string };
  attempts?: AttemptJson[];
}

let herald: TestHerald;
let rx: Receiver;
let cli: ReturnType<typeof cliFor>;
let webhookId: string;
let up = false;

beforeAll(async () => {
  await buildCli();
  // A clock that only moves when told: automatic retries never fire, so every attempt after the
  // first one is the CLI's manual retry.
  herald = await startTestHerald({ clock: new ManualClock() });
  rx = await startReceiver(() =>
    up ? { status: 200, body: 'thanks' } : { status: 500, body: 'boom: database locked' },
  );
  cli = cliFor(herald);
  const wh = await herald.api<{ id: string }>('POST', '/v1beta/webhooks', {
    uri: rx.url,
    subscribed_events: ['invoice.ready', 'invoice.paid'],
  });
  webhookId = wh.body.id;
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rx?.close();
  await herald?.close();
});

describe('herald events', () => {
  it('emit --json prints exactly the Event resource', async () => {
    const r = await cli(['events', 'emit', 'invoice.ready', '--data', '{"id":"inv_1","total":42}', '--json']);
    expect(r.code).toBe(0);
    const e = json<EventJson>(r);
    expect(Object.keys(e).sort()).toEqual([
      'create_time',
      'delivery_count',
      'id',
      'message_id',
      'payload',
      'sequence',
      'type',
    ]);
    expect(e).toMatchObject({
      type: 'invoice.ready',
      delivery_count: 1,
      payload: { type: 'invoice.ready', version: 'v1', data: { id: 'inv_1', total: 42 } },
    });
    expect(e.id).toMatch(/^evt_/);
  });

  it('emit reads data from stdin, honours --idempotency-key and says when it replayed', async () => {
    const first = await cli(
      ['events', 'emit', 'invoice.paid', '--data-file', '-', '--idempotency-key', 'pay-7', '--json'],
      {
        input: '{"id":"inv_7"}\n',
      },
    );
    expect(first.code).toBe(0);
    const again = await cli([
      'events',
      'emit',
      'invoice.paid',
      '--data',
      '{"id":"inv_7"}',
      '--idempotency-key',
      'pay-7',
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `Already emitted with this Idempotency-Key: ${json<EventJson>(first).id} invoice.paid`,
    );
  });

  it('emit rejects bad input with exit 2 before calling the server', async () => {
    const badJson = await cli(['events', 'emit', 'invoice.ready', '--data', '{id:1}']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^herald: --data is not valid JSON/);
    const notObject = await cli(['events', 'emit', 'invoice.ready', '--data', '[1]']);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toMatch(/must be a JSON object/);
    const reserved = await cli(['events', 'emit', 'batch.done']);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toMatch(/unknown event type "batch.done"/);
  });

  it('list filters by type and sequence; get shows one event; an unknown id exits 1 with the server message', async () => {
    const all = json<{ events: EventJson[] }>(await cli(['events', 'list', '--json']));
    expect(all.events.length).toBeGreaterThanOrEqual(2);
    expect(all.events.map((e) => e.sequence)).toEqual([...all.events.map((e) => e.sequence)].sort((a, b) => a - b));

    const paid = json<{ events: EventJson[] }>(await cli(['events', 'list', '--types', 'invoice.paid', '--json']));
    expect(paid.events.map((e) => e.type)).toEqual(['invoice.paid']);
    const after = json<{ events: EventJson[] }>(
      await cli(['events', 'list', '--after', String(all.events[0]!.sequence), '--json']),
    );
    expect(after.events).toHaveLength(all.events.length - 1);

    const table = await cli(['events', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^SEQ\s+ID\s+TYPE\s+DELIVERIES\s+CREATED$/);

    const got = await cli(['events', 'get', all.events[0]!.id]);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/Type\s+invoice\.ready/);
    expect(got.stdout).toContain('"total": 42');
    expect(json<EventJson>(await cli(['events', 'get', all.events[0]!.id, '--json']))).toEqual(all.events[0]);

    const missing = await cli(['events', 'get', 'evt_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^herald: .*evt_nope.* \(HTTP 404 NOT_FOUND\)\n$/);
  });
});

describe('herald deliveries', () => {
  let failed: DeliveryJson;

  it('list and get show a failed attempt: status code, duration, error and response excerpt', async () => {
    const attemptsBefore = herald.attempts.length;
    const ev = json<EventJson>(await cli(['events', 'emit', 'invoice.ready', '--data', '{"id":"inv_9"}', '--json']));
    await herald.waitForAttempts(attemptsBefore + 1);

    const list = json<{ deliveries: DeliveryJson[] }>(
      await cli(['deliveries', 'list', '--event', ev.id, '--webhook', webhookId, '--json']),
    );
    expect(list.deliveries).toHaveLength(1);
    failed = list.deliveries[0]!;
    expect(failed).toMatchObject({ event_id: ev.id, event_type: 'invoice.ready', attempt_count: 1 });
    expect(failed.destination).toEqual({ type: 'webhook', webhook_id: webhookId, uri: rx.url });
    expect(failed.attempts).toBeUndefined();

    const byStatus = json<{ deliveries: DeliveryJson[] }>(
      await cli(['deliveries', 'list', '--status', failed.status, '--json']),
    );
    expect(byStatus.deliveries.map((d) => d.id)).toContain(failed.id);

    const d = json<DeliveryJson>(await cli(['deliveries', 'get', failed.id, '--json']));
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts![0]).toMatchObject({
      number: 1,
      trigger: 'scheduled',
      status_code: 500,
      response_excerpt: 'boom: database locked',
    });

    const human = await cli(['deliveries', 'get', failed.id]);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    const header = lines.findIndex((l) => /^#\s+TRIGGER\s+STARTED\s+STATUS\s+DURATION\s+ERROR\s+RESPONSE$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^1\s+scheduled\s+\S+ \S+Z\s+500\s+\d+(\.\d)? m?s\s+.*boom: database locked$/);
    expect(human.stdout).toMatch(/#1 response\n {2}boom: database locked/);
  });

  it('retry --wait attempts again now and reports the answer; the receiver gets it', async () => {
    up = true;
    const received = rx.requests.length;
    const r = await cli(['deliveries', 'retry', failed.id, '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^✓ ${failed.id} delivered to .*: HTTP 200 in `));
    expect(rx.requests.length).toBe(received + 1);

    const d = json<DeliveryJson>(await cli(['deliveries', 'get', failed.id, '--json']));
    expect(d.status).toBe('succeeded');
    expect(d.attempts!.map((a) => [a.number, a.trigger, a.status_code])).toEqual([
      [1, 'scheduled', 500],
      [2, 'manual', 200],
    ]);
  });

  it('retry without --wait prints the queued delivery; retry --wait exits 1 when the attempt fails', async () => {
    up = false;
    const attemptsBefore = herald.attempts.length;
    const queued = await cli(['deliveries', 'retry', failed.id, '--json']);
    expect(queued.code).toBe(0);
    expect(json<DeliveryJson>(queued).id).toBe(failed.id);
    await herald.waitForAttempts(attemptsBefore + 1);

    const r = await cli(['deliveries', 'retry', failed.id, '--wait', '--json']);
    expect(r.code).toBe(1);
    const d = json<DeliveryJson>(r);
    expect(d.attempts!.at(-1)).toMatchObject({ trigger: 'manual', status_code: 500 });
  });

  it('bad flags exit 2; unknown ids exit 1 with the server message', async () => {
    const badStatus = await cli(['deliveries', 'list', '--status', 'done']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/Allowed choices are pending, in_flight, succeeded, failed, cancelled/);
    const missing = await cli(['deliveries', 'retry', 'dlv_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('herald: delivery "dlv_nope" not found (HTTP 404 NOT_FOUND)\n');
    const empty = await cli(['deliveries', 'list', '--event', 'evt_none']);
    expect(empty.stdout).toBe('No deliveries match these filters.\n');
  });
  it('emit --file sends NDJSON as batches, each all or nothing, and names a bad line before sending', async () => {
    const lines = Array.from({ length: 1203 }, (_, i) => JSON.stringify({ type: 'bulk.loaded', data: { i } }));
    const r = await cli(['events', 'emit', '--file', '-', '--json'], { input: `# bulk\n${lines.join('\n')}\n` });
    expect(r.code, r.stderr).toBe(0);
    const { events } = json<{ events: EventJson[] }>(r);
    expect(events.map((e) => e.payload.data.i)).toEqual(lines.map((_, i) => i));
    const human = await cli(['events', 'emit', '--file', '-'], { input: '{"type":"bulk.loaded","data":{}}\n' });
    expect(human.stdout).toMatch(/Emitted 1 event from stdin \(0 deliveries, 1 request\)/);
    const bad = await cli(['events', 'emit', '--file', '-'], { input: '{"type":"bulk.loaded"}\n{"data":{}}\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/stdin line 2: each line must be an object with a "type"/);
    const both = await cli(['events', 'emit', 'a.b', '--file', '-'], { input: '' });
    expect(both.code).toBe(2);
  });
});
