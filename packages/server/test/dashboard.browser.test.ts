import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). Skipped, with the reason printed, when /usr/bin/chromium is missing
 * (.ci/run installs it). Screenshots go to .ci/artifacts/dashboard/; with
 * HERALD_DOCS_SCREENSHOTS=1 the docs images in docs/img/ are refreshed too.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`dashboard.browser.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, '.ci/artifacts/dashboard');
const DOCS_IMG = join(ROOT, 'docs/img');
const XSS = `<img src=x onerror="alert('xss')">`;

let browser: Browser | undefined;
let context: BrowserContext | undefined;
let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

async function newPage(): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  context = await browser!.newContext({ viewport: { width: 1200, height: 820 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, dialogs, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function login(page: Page, h: TestHerald): Promise<void> {
  await page.goto(`${h.url}/`);
  await expect.poll(() => page.url()).toContain('/dashboard/login');
  await page.fill('input[name="api_key"]', h.apiKey);
  await page.click('button[type="submit"]');
  await page.waitForSelector('h1:has-text("Overview")');
}

/** Waits until the page's live stream is connected, so a change after this is seen. */
const live = (page: Page) => page.waitForSelector('[data-live-status][data-state="live"]');

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
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

  it('overview shows percentiles, backlog and disabled webhooks; rotate shows the new secret once; nothing loads from elsewhere', async () => {
    const clock = new ManualClock();
    const ok = await startReceiver(() => ({ status: 200, body: 'ok' }));
    const down = await startReceiver(() => ({ status: 500, body: 'receiver is down' }));
    receivers.push(ok, down);
    herald = await startTestHerald({ clock });
    const h = herald;
    const create = async (name: string, uri: string, events: string[]) =>
      (
        await h.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
          name,
          uri,
          subscribed_events: events,
        })
      ).body;
    const steady = await create('steady', ok.url, ['invoice.ready']);
    const flaky = await create('flaky', down.url, ['invoice.ready']);
    const paused = await create('paused', ok.url, ['report.done']);
    // One delivery succeeds, one waits for its retry (the manual clock holds it): a backlog of 1.
    await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_7' } });
    await h.waitForAttempts(2);

    const { page, dialogs, errors } = await newPage();
    // Works offline: every request the pages make goes to Herald itself (no CDN, no fonts).
    const origin = new URL(h.url).origin;
    const elsewhere: string[] = [];
    await context!.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    await login(page, h);

    // Disable a webhook from its page.
    await page.goto(`${h.url}/dashboard/webhooks/${paused.id}`);
    await page.click('[data-action="disable"]');
    await page.waitForSelector('#live-webhook h1 [data-status="disabled"]');

    await page.click('nav >> text=Overview');
    const card = async (metric: string, part = '.value') =>
      (await page.textContent(`[data-metric="${metric}"] ${part}`))!.replace(/\s+/g, ' ').trim();
    const time = /^(\d+(\.\d)? (ms|s)|< 1 s)$/;
    expect(await card('success-rate')).toBe('100%');
    expect(await card('latency')).toMatch(time);
    expect(await card('latency', '.sub')).toMatch(/^p95 \d+(\.\d)? m?s · p99 \d+(\.\d)? m?s · 2 attempts$/);
    expect(await card('notification-latency')).toMatch(time);
    expect(await card('backlog')).toBe('1');
    expect(await card('backlog', '.sub')).toBe('1 pending · 0 in flight');
    expect(await card('oldest-pending')).toMatch(time);
    expect(await card('disabled-webhooks')).toBe('1');
    expect(await card('disabled-webhooks', '.sub')).toBe('of 3 webhooks');
    expect(await page.textContent('h2:has-text("Disabled webhooks") + .table-wrap')).toContain('paused');
    const hints = (await page.textContent('ul.hints'))!.replace(/\s+/g, ' ');
    expect(hints).toContain('Disabled: paused. A disabled webhook receives nothing until it is enabled again');
    expect(hints).not.toContain('All good');
    await shot(page, '10-overview-backlog');

    // Every attempt shows its status code, duration and response excerpt.
    const pending = await h.api<{ deliveries: { id: string }[] }>('GET', `/v1beta/deliveries?webhook=${flaky.id}`);
    await page.goto(`${h.url}/dashboard/deliveries/${pending.body.deliveries[0]!.id}`);
    const cells = (await page.locator('table.attempts tr[data-attempt="1"] td').allTextContents()).map((t) => t.trim());
    expect(cells[3]).toBe('HTTP 500');
    expect(cells[4]).toMatch(/^\d+(\.\d)? (ms|s)$/);
    expect(cells[6]).toBe('receiver is down');

    // Rotate: the new secret is shown once, and the next delivery is signed with it.
    await page.goto(`${h.url}/dashboard/webhooks/${steady.id}`);
    await page.click('[data-action="rotate"]');
    const secret = (await page.textContent('#new-secret'))!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secret).not.toBe(steady.new_signing_secret);
    expect(await page.textContent('body')).toContain('Signing secret rotated');
    await shot(page, '11-secret-rotated');
    await page.reload();
    await page.waitForSelector('h1:has-text("steady")');
    expect(await page.locator('#new-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await live(page);
    await page.click('[data-action="ping"]');
    await page.waitForSelector('#live-webhook tr[data-delivery]:has-text("webhook.ping") [data-status="succeeded"]');
    const ping = ok.requests.at(-1)!;
    expect(JSON.parse(ping.body)).toMatchObject({ type: 'webhook.ping' });
    expect(() => new StandardWebhook(secret).verify(ping.body, ping.headers as Record<string, string>)).not.toThrow();

    expect(elsewhere).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses a POST without the CSRF token (403), even with the session cookie', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    herald = await startTestHerald();
    const h = herald;
    const { page } = await newPage();
    await login(page, h);
    // The browser's cookie jar carries the session; only the token is missing.
    const res = await page.request.post(`${h.url}/dashboard/webhooks`, {
      form: { name: 'sneaky', uri: rx.url, events: 'invoice.ready' },
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('security token');
    // Same from script in the page (what a forged same-site request would look like).
    const status = await page.evaluate(async (url) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'state=disabled',
      });
      return r.status;
    }, `${h.url}/dashboard/webhooks/anything/state`);
    expect(status).toBe(403);
    expect((await h.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks')).body.webhooks).toHaveLength(0);
    // With the token (the page's own form) it works.
    await page.goto(`${h.url}/dashboard/webhooks`);
    await page.fill('input[name="uri"]', rx.url);
    await page.fill('input[name="custom_events"]', 'invoice.ready');
    await page.click('[data-action="create-webhook"]');
    await page.waitForSelector('#new-secret');
    await page.goto(`${h.url}/`);
    const cookies = await context!.cookies();
    const sessionCookie = cookies.find((c) => c.name === 'herald_session')!;
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(sessionCookie.value).not.toContain(h.apiKey);
  });

  it.runIf(process.env.HERALD_DOCS_SCREENSHOTS === '1')('refreshes the screenshots in docs/img', async () => {
    mkdirSync(DOCS_IMG, { recursive: true });
    const clock = new ManualClock();
    const ok = await startReceiver(() => ({ status: 200, body: 'ok' }));
    const flaky = await startReceiver((_r, i) =>
      i % 3 === 2 ? { status: 503, body: 'upstream busy' } : { status: 200 },
    );
    const gone = await startReceiver(() => ({ status: 410, body: 'endpoint removed' }));
    receivers.push(ok, flaky, gone);
    herald = await startTestHerald({ clock });
    const h = herald;
    const a = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      name: 'billing',
      uri: ok.url,
      subscribed_events: ['batch.succeeded', 'invoice.ready'],
    });
    await h.api('POST', '/v1beta/webhooks', {
      name: 'analytics',
      uri: flaky.url,
      subscribed_events: ['invoice.ready'],
    });
    await h.api('POST', '/v1beta/webhooks', { name: 'crm sync', uri: gone.url, subscribed_events: ['invoice.ready'] });
    for (let i = 1; i <= 6; i++) {
      await h.api('POST', '/v1beta/events', {
        type: 'invoice.ready',
        data: { id: `inv_${i}`, total: 100 * i, user_metadata: { customer: `cus_${i}` } },
      });
    }
    await h.waitForAttempts(13);
    const { page } = await newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    const save = (name: string) => page.screenshot({ path: join(DOCS_IMG, `dashboard-${name}.png`) });
    await page.goto(`${h.url}/`);
    await save('login');
    await login(page, h);
    await save('overview');
    await page.goto(`${h.url}/dashboard/webhooks/${a.body.id}`);
    await save('webhook');
    const pending = await h.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries?status=pending');
    await page.goto(`${h.url}/dashboard/deliveries/${pending.body.deliveries[0]!.id}`);
    await save('delivery');
    const events = await h.api<{ events: { id: string }[] }>('GET', '/v1beta/events');
    await page.goto(`${h.url}/dashboard/events/${events.body.events.at(-1)!.id}`);
    await save('event');
    await page.goto(`${h.url}/dashboard/deliveries`);
    await save('deliveries');
    await page.goto(`${h.url}/dashboard/replay?webhook=${a.body.id}`);
    await save('replay');
    const op = await h.api<{ name: string }>('POST', '/v1beta/operations', {
      kind: 'render.video',
      metadata: { scene: 12 },
    });
    const lease = await h.api<{ operations: { lease_id: string }[] }>('POST', '/v1beta/operations:lease', {
      kinds: ['render.video'],
    });
    await h.api('POST', `/v1beta/${op.body.name}:progress`, {
      lease_id: lease.body.operations[0]!.lease_id,
      percent: 65,
      message: 'encoding frames',
    });
    await page.goto(`${h.url}/dashboard/operations/${op.body.name}`);
    await save('operation');
  });
});
