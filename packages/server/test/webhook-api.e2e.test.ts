import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Details of the Gemini-compatible WebhookService and the other suites do not reach: list page
 * sizes, PATCH without `update_mask`, and the 24 h overlap of a default rotation.
 */
let h: TestHerald | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type WebhookJson = {
  id: string;
  name: string;
  uri: string;
  subscribed_events: string[];
  state: string;
  create_time: string;
  update_time: string;
  new_signing_secret?: string;
  signing_secrets: { truncated_secret: string; expire_time?: string }[];
};
const valid = { uri: 'http://127.0.0.1:9/hooks', subscribed_events: ['batch.succeeded'] };

describe('webhook list page size', () => {
  it('defaults to 50, caps at 1000, and refuses what is not a whole number', async () => {
    // 1,001 webhooks: above the default cap of webhooks per project (HERALD_PROJECT_MAX_WEBHOOKS).
    h = await startTestHerald({ config: { projectMaxWebhooks: 2000 } });
    for (let i = 0; i < 1001; i++)
      await h.herald.webhooks.create(h.herald.projectId, { name: `w${i}`, uri: valid.uri, subscribedEvents: ['x.y'] });

    const byDefault = await h.api<{ webhooks: WebhookJson[]; next_page_token?: string }>('GET', '/v1beta/webhooks');
    expect(byDefault.body.webhooks).toHaveLength(50);
    expect(byDefault.body.next_page_token).toBeDefined();
    expect(byDefault.body.webhooks.every((w) => w.new_signing_secret === undefined)).toBe(true);

    const capped = await h.api<{ webhooks: WebhookJson[]; next_page_token?: string }>(
      'GET',
      '/v1/webhooks?page_size=5000',
    );
    expect(capped.body.webhooks).toHaveLength(1000);
    const rest = await h.api<{ webhooks: WebhookJson[]; next_page_token?: string }>(
      'GET',
      `/v1/webhooks?page_size=1000&page_token=${capped.body.next_page_token!}`,
    );
    // Webhook ids are random, so webhooks made in the same millisecond have no set order: check
    // that the two pages hold every webhook once, the second only the one left over.
    expect(rest.body.webhooks).toHaveLength(1);
    const names = new Set([...capped.body.webhooks, ...rest.body.webhooks].map((w) => w.name));
    expect(names.size).toBe(1001);
    expect(rest.body.next_page_token).toBeUndefined();

    for (const bad of ['-1', 'ten', '1.5']) {
      const res = await h.api<{ error: { status: string; message: string } }>(
        'GET',
        `/v1beta/webhooks?page_size=${bad}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ status: 'INVALID_ARGUMENT' });
      expect(res.body.error.message).toMatch(/page_size must be a whole number from 1 to 1000/);
    }
  }, 60_000);
});

describe('PATCH without update_mask', () => {
  it('changes the fields present in the body and nothing else, and moves update_time', async () => {
    const clock = new ManualClock();
    h = await startTestHerald({ clock });
    const created = await h.api<WebhookJson>('POST', '/v1beta/webhooks', { ...valid, name: 'orig' });
    expect(created.body.create_time).toBe(created.body.update_time);
    clock.advance(60_000);

    const renamed = await h.api<WebhookJson>('PATCH', `/v1beta/webhooks/${created.body.id}`, { name: 'renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'renamed',
      uri: valid.uri,
      subscribed_events: valid.subscribed_events,
      state: 'enabled',
      create_time: created.body.create_time,
    });
    expect(Date.parse(renamed.body.update_time) - Date.parse(created.body.create_time)).toBe(60_000);
    expect(renamed.body.new_signing_secret).toBeUndefined();

    const moved = await h.api<WebhookJson>('PATCH', `/v1/webhooks/${created.body.id}`, {
      uri: 'http://127.0.0.1:9/other',
      state: 'DISABLED',
    });
    expect(moved.body).toMatchObject({
      name: 'renamed',
      uri: 'http://127.0.0.1:9/other',
      subscribed_events: valid.subscribed_events,
      state: 'disabled',
    });

    const empty = await h.api<{ error: { message: string } }>('PATCH', `/v1beta/webhooks/${created.body.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/nothing to update/);
  });
});

describe('rotation overlap', () => {
  it('keeps the previous secret for exactly 24 h by default, then lists only the new one', async () => {
    const clock = new ManualClock();
    h = await startTestHerald({ clock });
    const created = await h.api<WebhookJson>('POST', '/v1beta/webhooks', valid);
    const old = created.body.new_signing_secret!;
    const rotatedAt = clock.now();
    const rot = await h.api<{ secret: string }>('POST', `/v1beta/webhooks/${created.body.id}:rotateSigningSecret`, {});
    expect(Object.keys(rot.body)).toEqual(['secret']);
    expect(rot.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const during = await h.api<WebhookJson>('GET', `/v1beta/webhooks/${created.body.id}`);
    expect(during.body.signing_secrets).toEqual([
      { truncated_secret: `whsec_...${rot.body.secret.slice(-4)}` },
      { truncated_secret: `whsec_...${old.slice(-4)}`, expire_time: new Date(rotatedAt + 86_400_000).toISOString() },
    ]);

    clock.advance(86_400_000 + 1);
    const after = await h.api<WebhookJson>('GET', `/v1beta/webhooks/${created.body.id}`);
    expect(after.body.signing_secrets).toEqual([{ truncated_secret: `whsec_...${rot.body.secret.slice(-4)}` }]);
  });
});

describe('POST /webhooks/{id}:ping', () => {
  it('answers what it did: the webhook.ping event and the delivery it queued', async () => {
    h = await startTestHerald({ clock: new ManualClock() });
    const created = await h.api<WebhookJson>('POST', '/v1beta/webhooks', valid);
    const ping = await h.api<{ event_id: string; message_id: string; delivery_id: string }>(
      'POST',
      `/v1beta/webhooks/${created.body.id}:ping`,
    );
    expect(ping.status).toBe(200);
    expect(ping.body).toEqual({
      event_id: expect.stringMatching(/^evt_/),
      message_id: expect.stringMatching(/^msg_/),
      delivery_id: expect.stringMatching(/^dlv_/),
    });
    const delivery = await h.api<{ event_id: string; event_type: string; message_id: string }>(
      'GET',
      `/v1beta/deliveries/${ping.body.delivery_id}`,
    );
    expect(delivery.body).toMatchObject({
      event_id: ping.body.event_id,
      event_type: 'webhook.ping',
      message_id: ping.body.message_id,
    });
  });
});
