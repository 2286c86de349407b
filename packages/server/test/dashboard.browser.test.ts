import { afterEach, describe, expect, it } from 'vitest';
import { hasChromium, live, login, shot, useChromium } from '../src/testing/dashboard-browser.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The dashboard's main flows in a real browser: log in, create a webhook and see its ping,
 * retry a failed delivery, watch an operation live, and XSS payloads rendered inert.
 * Real headless Chromium (see `src/testing/dashboard-browser.ts`); skipped, with the reason
 * printed, when /usr/bin/chromium is missing.
 */
if (!hasChromium)
  console.log(`dashboard.browser.test.ts skipped: /usr/bin/chromium not found (apt-get install -y chromium)`);

const XSS = `<img src=x onerror="alert('xss')">`;

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  const chromium = useChromium();
  const newPage = () => chromium.newPage();
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await herald?.close();
    herald = undefined;
  });

  it('logs in, creates a webhook (secret shown once), sees its ping delivered, retries a failed delivery', async () => {
    const clock = new ManualClock();
    const rx = await startReceiver(() => ({ status: 200, body: 'ok' }));
    receivers.push(rx);
    herald = await startTestHerald({ clock });
    const h = herald;
    const { page, dialogs, errors } = await newPage();

    await login(page, h);
    await shot(page, '01-overview-empty');

    // Create a webhook from the form.
    await page.click('nav >> text=Webhooks');
    await page.fill('input[name="name"]', 'billing receiver');
    await page.fill('input[name="uri"]', rx.url);
    await page.check('input[name="events"][value="batch.succeeded"]');
    await page.fill('input[name="custom_events"]', 'invoice.ready');
    await page.click('[data-action="create-webhook"]');
    const secret = (await page.textContent('#new-secret'))!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await shot(page, '02-webhook-created');
    // Shown once: the URL is now the plain page, and reloading it does not show the secret.
    expect(new URL(page.url()).pathname).toMatch(/^\/dashboard\/webhooks\/[0-9a-z]+$/);
    await page.reload();
    await page.waitForSelector('h1:has-text("billing receiver")');
    expect(await page.locator('#new-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // Ping: the delivery appears in the live table and turns succeeded without a reload.
    await live(page);
    await page.click('[data-action="ping"]');
    await page.waitForSelector('#live-webhook tr[data-delivery] [data-status="succeeded"]');
    expect(await page.textContent('#live-webhook')).toContain('webhook.ping');
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    await shot(page, '03-ping-delivered');

    // The receiver fails: the delivery stays pending with the 500 recorded (the manual clock holds the retry).
    rx.respond = () => ({ status: 500, body: 'database is down' });
    const ev = await h.api<{ id: string }>('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_42' } });
    expect(ev.status).toBe(200);
    await page.waitForSelector('#live-webhook tr[data-delivery]:has-text("invoice.ready") [data-status="pending"]');
    await page.click('#live-webhook tr[data-delivery]:has-text("invoice.ready") a');
    await page.waitForSelector('h1:has-text("Delivery")');
    expect(await page.textContent('table.attempts')).toContain('database is down');
    expect(await page.locator('[data-status-code="500"]').count()).toBe(1);
    await shot(page, '04-delivery-failed');

    // The receiver recovers; Retry from the UI: the attempt is recorded and the status becomes succeeded live.
    rx.respond = () => ({ status: 200, body: 'ok' });
    await live(page);
    await page.click('[data-action="retry"]');
    await page.waitForSelector('#live-delivery h1 [data-status="succeeded"]');
    const triggers = await page.locator('table.attempts tr[data-attempt] td:nth-child(2)').allTextContents();
    expect(triggers.map((t) => t.trim())).toEqual(['scheduled', 'manual']);
    expect(await page.locator('[data-status-code="200"]').count()).toBe(1);
    await shot(page, '05-delivery-retried');

    // The overview counts it.
    await page.click('nav >> text=Overview');
    await page.waitForSelector('[data-metric="success-rate"] .value:has-text("100%")');
    await shot(page, '06-overview');

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('watches an operation finish live: progress, then succeeded, with its timeline', async () => {
    herald = await startTestHerald();
    const h = herald;
    const { page, dialogs, errors } = await newPage();
    await login(page, h);
    await page.click('nav >> text=Operations');
    await page.waitForSelector('text=Operations appear here once created');
    await live(page);

    const created = await h.api<{ name: string }>('POST', '/v1beta/operations', {
      kind: 'render.video',
      metadata: { scene: 7 },
    });
    expect(created.status).toBe(200);
    const name = created.body.name;
    // The list picks it up live.
    await page.waitForSelector(`#live-operations tr[data-operation="${name}"] [data-status="pending"]`);
    await page.click(`#live-operations tr[data-operation="${name}"] a`);
    await page.waitForSelector('#live-operation h1 [data-status="pending"]');
    await live(page);

    // A worker leases it, reports progress and completes it over the HTTP worker API.
    const id = name.split('/').at(-1)!;
    const lease = await h.api<{ operations: { lease_id: string }[] }>('POST', '/v1beta/operations:lease', {
      kinds: ['render.video'],
    });
    const leaseId = lease.body.operations[0]!.lease_id;
    await page.waitForSelector('#live-operation h1 [data-status="running"]');
    await h.api('POST', `/v1beta/operations/${id}:progress`, { lease_id: leaseId, percent: 40, message: 'encoding' });
    await page.waitForSelector('#live-operation [data-progress="40"]');
    expect(await page.textContent('#live-operation')).toContain('encoding');
    await shot(page, '08-operation-running');
    await h.api('POST', `/v1beta/operations/${id}:complete`, { lease_id: leaseId, result: { uri: 'files/out-7' } });
    await page.waitForSelector('#live-operation h1 [data-status="succeeded"]');
    const timeline = (await page.textContent('ol.timeline'))!;
    expect(timeline).toContain('Created');
    expect(timeline).toContain('Started');
    expect(timeline).toContain('operation.progress');
    expect(timeline).toContain('operation.succeeded');
    expect(await page.textContent('#live-operation')).toContain('files/out-7');
    await shot(page, '09-operation-succeeded');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('renders XSS payloads in names, user_metadata and event data as inert text', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    herald = await startTestHerald();
    const h = herald;
    const wh = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      name: `evil ${XSS}`,
      uri: rx.url,
      subscribed_events: ['invoice.ready'],
    });
    const ev = await h.api<{ id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: `<script>alert("data")</script>`, user_metadata: { note: XSS, html: '</pre><b id="pwned">x</b>' } },
    });
    const op = await h.api<{ name: string }>('POST', '/v1beta/operations', {
      kind: 'render.video',
      metadata: { title: XSS },
      webhook_config: { uris: [rx.url], user_metadata: { customer: XSS, '<b>key</b>': 1 } },
    });
    expect(op.status).toBe(200);
    await rx.waitFor(1);
    await h.waitForAttempts(1);
    const { page, dialogs, errors } = await newPage();
    await login(page, h);

    await page.goto(`${h.url}/dashboard/webhooks/${wh.body.id}`);
    expect(await page.textContent('h1')).toContain(`evil ${XSS}`);
    await page.goto(`${h.url}/dashboard/events/${ev.body.id}`);
    const payload = (await page.textContent('pre.payload'))!;
    expect(payload).toContain(`"note": "<img src=x onerror=\\"alert('xss')\\">"`);
    expect(payload).toContain('<script>alert(\\"data\\")</script>');
    expect(payload).toContain('</pre><b id=\\"pwned\\">x</b>');
    await shot(page, '07-xss-inert-event');
    await page.goto(`${h.url}/dashboard/operations/${op.body.name}`);
    const config = (await page.locator('pre.payload').allTextContents()).join('\n');
    expect(config).toContain(`"customer": "<img src=x onerror=\\"alert('xss')\\">"`);
    expect(config).toContain('"<b>key</b>": 1');
    await shot(page, '07b-xss-inert-operation');
    for (const path of [
      '/',
      '/dashboard/webhooks',
      '/dashboard/deliveries',
      '/dashboard/events',
      `/dashboard/events/${ev.body.id}`,
      '/dashboard/operations',
      `/dashboard/operations/${op.body.name}`,
    ]) {
      await page.goto(h.url + path);
      expect(await page.locator('img[src="x"]').count(), path).toBe(0);
      expect(await page.locator('#pwned').count(), path).toBe(0);
      expect(await page.locator('script:not([src])').count(), path).toBe(0);
    }
    await page.goto(`${h.url}/dashboard/webhooks`);
    expect(await page.textContent('table.webhooks')).toContain(`evil ${XSS}`);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
