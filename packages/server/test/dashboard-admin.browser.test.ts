import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { hasChromium, live, login, shot, useChromium, DOCS_IMG } from '../src/testing/dashboard-browser.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The dashboard's overview, secret rotation, CSRF and offline behaviour in a real browser, and
 * the docs screenshots (HERALD_DOCS_SCREENSHOTS=1).
 * Real headless Chromium (see `src/testing/dashboard-browser.ts`); skipped, with the reason
 * printed, when /usr/bin/chromium is missing.
 */
if (!hasChromium)
  console.log(`dashboard-admin.browser.test.ts skipped: /usr/bin/chromium not found (apt-get install -y chromium)`);

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

describe.skipIf(!hasChromium)('dashboard-admin in Chromium', () => {
  const chromium = useChromium();
  const newPage = () => chromium.newPage();
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await herald?.close();
    herald = undefined;
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
    await chromium.context()!.route('**/*', (route) => {
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
    const cookies = await chromium.context()!.cookies();
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
