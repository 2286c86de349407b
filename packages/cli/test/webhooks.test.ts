import { Webhook as Verifier } from '@herald/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../server/src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, json, runCli } from './helpers/cli.js';

interface WebhookJson {
  id: string;
  name: string;
  uri: string;
  state: string;
  subscribed_events: string[];
  signing_secrets: { truncated_secret: string; expire_time?: string }[];
  new_signing_secret?: string;
  create_time: string;
  update_time: string;
}

let herald: TestHerald;
let rx: Receiver;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  rx = await startReceiver();
  cli = cliFor(herald);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rx?.close();
  await herald?.close();
});

describe('herald webhooks', () => {
  it('create --json prints exactly the Webhook resource, with the secret shown once', async () => {
    const r = await cli([
      'webhooks',
      'create',
      '--uri',
      rx.url,
      '--events',
      'invoice.ready,batch.succeeded',
      '--name',
      'shop',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const wh = json<WebhookJson>(r);
    expect(Object.keys(wh).sort()).toEqual([
      'create_time',
      'id',
      'name',
      'new_signing_secret',
      'signing_secrets',
      'state',
      'subscribed_events',
      'update_time',
      'uri',
    ]);
    expect(wh).toMatchObject({
      name: 'shop',
      uri: rx.url,
      state: 'enabled',
      subscribed_events: ['invoice.ready', 'batch.succeeded'],
    });
    expect(wh.new_signing_secret).toMatch(/^whsec_/);
    expect(r.stdout).not.toContain('\u001b['); // no colour codes in --json
    expect(r.stderr).toMatch(/shown only this once/);

    const got = json<WebhookJson>(await cli(['webhooks', 'get', wh.id, '--json']));
    expect(got.new_signing_secret).toBeUndefined();
    expect(got.signing_secrets).toHaveLength(1);
  });

  it('create prints the secret for humans on stdout and the warning on stderr', async () => {
    const r = await cli(['webhooks', 'create', '--uri', rx.url, '--events', 'invoice.ready']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created webhook [0-9a-z]{36}$/m);
    expect(r.stdout).toMatch(/^Signing secret {2}whsec_[A-Za-z0-9+/=]+$/m);
    expect(r.stderr).toMatch(/Store the signing secret now: it is shown only this once/);
    expect(r.stderr).toMatch(/Next: herald webhooks ping [0-9a-z]{36} --wait/);
  });

  it('list --json is the WebhookList; the human table has a header row and one row per webhook', async () => {
    const list = json<{ webhooks: WebhookJson[]; next_page_token?: string }>(await cli(['webhooks', 'list', '--json']));
    expect(list.webhooks.length).toBeGreaterThanOrEqual(2);
    expect(list.next_page_token).toBeUndefined();

    const table = await cli(['webhooks', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATE\s+EVENTS\s+URI$/);
    expect(lines).toHaveLength(list.webhooks.length + 1);
    expect(lines[1]).toContain(list.webhooks[0]!.id);

    const paged = json<{ webhooks: WebhookJson[]; next_page_token?: string }>(
      await cli(['webhooks', 'list', '--page-size', '1', '--json']),
    );
    expect(paged.webhooks).toHaveLength(1);
    expect(paged.next_page_token).toBeTruthy();
    const hint = await cli(['webhooks', 'list', '--page-size', '1']);
    expect(hint.stderr).toContain(`--page-token ${paged.next_page_token!}`);
    const all = json<{ webhooks: WebhookJson[] }>(
      await cli(['webhooks', 'list', '--page-size', '1', '--all', '--json']),
    );
    expect(all.webhooks.map((w) => w.id)).toEqual(list.webhooks.map((w) => w.id));
  });

  it('update changes only the given fields; rotate prints a new secret; delete removes it', async () => {
    const wh = json<WebhookJson>(
      await cli(['webhooks', 'create', '--uri', rx.url, '--events', 'invoice.ready', '--json']),
    );
    const updated = json<WebhookJson>(
      await cli([
        'webhooks',
        'update',
        wh.id,
        '--disable',
        '--events',
        'invoice.ready',
        '--events',
        'invoice.paid',
        '--json',
      ]),
    );
    expect(updated).toMatchObject({
      state: 'disabled',
      uri: rx.url,
      subscribed_events: ['invoice.ready', 'invoice.paid'],
    });
    const enabled = await cli(['webhooks', 'update', wh.id, '--enable', '--name', 'renamed']);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toMatch(/State\s+enabled/);
    expect(enabled.stdout).toMatch(/Name\s+renamed/);

    const rotated = await cli(['webhooks', 'rotate', wh.id, '--json']);
    expect(rotated.code).toBe(0);
    expect(Object.keys(json(rotated))).toEqual(['secret']);
    expect(json<{ secret: string }>(rotated).secret).toMatch(/^whsec_/);
    const after = json<WebhookJson>(await cli(['webhooks', 'get', wh.id, '--json']));
    expect(after.signing_secrets).toHaveLength(2);
    expect(after.signing_secrets[1]!.expire_time).toBeDefined();

    const del = await cli(['webhooks', 'delete', wh.id, '--json']);
    expect(del.code).toBe(0);
    expect(json(del)).toEqual({});
    const gone = await cli(['webhooks', 'get', wh.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`herald: webhook "${wh.id}" not found (HTTP 404 NOT_FOUND)\n`);
  });

  it('ping --wait reports the delivery, which reaches the receiver signed with the secret', async () => {
    const wh = json<WebhookJson>(
      await cli(['webhooks', 'create', '--uri', rx.url, '--events', 'batch.failed', '--json']),
    );
    const before = rx.requests.length;
    const r = await cli(['webhooks', 'ping', wh.id, '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^✓ ping delivered to ${rx.url.replace(/[.]/g, '\\.')}: HTTP 200 in \\d`));
    const ping = rx.requests.slice(before).find((q) => JSON.parse(q.body).type === 'webhook.ping');
    expect(ping).toBeDefined();
    const event = new Verifier(wh.new_signing_secret!).verify<{ type: string }>(ping!.body, ping!.headers);
    expect(event.type).toBe('webhook.ping');

    const asJson = await cli(['webhooks', 'ping', wh.id, '--wait', '--json']);
    expect(asJson.code).toBe(0);
    const d = json<{ id: string; event_type: string; status: string; attempts: { status_code: number }[] }>(asJson);
    expect(d).toMatchObject({ event_type: 'webhook.ping', status: 'succeeded' });
    expect(d.attempts[0]!.status_code).toBe(200);
  });

  it('ping without --wait says which delivery it queued; --json prints the API answer', async () => {
    const wh = json<WebhookJson>(
      await cli(['webhooks', 'create', '--uri', rx.url, '--events', 'batch.failed', '--json']),
    );
    const r = await cli(['webhooks', 'ping', wh.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Ping queued for webhook ${wh.id}: delivery dlv_[0-9a-z]+\\n$`));
    const answer = json<{ event_id: string; message_id: string; delivery_id: string }>(
      await cli(['webhooks', 'ping', wh.id, '--json']),
    );
    expect(answer.event_id).toMatch(/^evt_/);
    const d = json<{ id: string; event_type: string; message_id: string }>(
      await cli(['deliveries', 'get', answer.delivery_id, '--json']),
    );
    expect(d).toMatchObject({ id: answer.delivery_id, event_type: 'webhook.ping', message_id: answer.message_id });
  });

  it('ping --wait exits 1 when the receiver fails', async () => {
    const failing = await startReceiver(() => ({ status: 503, body: 'down for maintenance' }));
    try {
      const wh = json<WebhookJson>(
        await cli(['webhooks', 'create', '--uri', failing.url, '--events', 'batch.failed', '--json']),
      );
      const r = await cli(['webhooks', 'ping', wh.id, '--wait']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^✗ ping to .* failed: HTTP 503 in /);
      expect(r.stderr).toMatch(/Details: herald deliveries get dlv_/);
    } finally {
      await failing.close();
    }
  });

  it('usage errors exit 2 with a message that says what to do; server rejections exit 1', async () => {
    const missing = await cli(['webhooks', 'create', '--events', 'invoice.ready']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--uri <url>' not specified/);

    const badType = await cli(['webhooks', 'create', '--uri', rx.url, '--events', 'batch.succeded']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/unknown event type "batch.succeded": allowed: batch.succeeded/);

    const nothing = await cli(['webhooks', 'update', 'abc']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to update: pass at least one of/);

    const unknownOption = await cli(['webhooks', 'list', '--colour']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option '--colour'/);

    const unknownCommand = await cli(['webhook', 'list']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'webhook'[\s\S]*webhooks/);

    const badNumber = await cli(['webhooks', 'list', '--page-size', 'ten']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/expected an integer from 1 to 1000/);

    const groupAlone = await cli(['webhooks']);
    expect(groupAlone.code).toBe(2);
    expect(groupAlone.stderr).toMatch(/Usage: herald webhooks/);

    const rejected = await cli(['webhooks', 'create', '--uri', 'not-a-url', '--events', 'invoice.ready']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^herald: .*\(HTTP 400 INVALID_ARGUMENT\)\n$/);
  });

  it('every webhooks command has --help with examples (exit 0)', async () => {
    for (const sub of ['create', 'list', 'get', 'update', 'delete', 'rotate', 'ping']) {
      const r = await runCli(['webhooks', sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toMatch(/Examples:\n {2}\$ herald webhooks /);
      expect(r.stdout, sub).toMatch(/Global Options:[\s\S]*--json/);
    }
  });
});
