import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, shot, useChromium } from '../src/testing/dashboard-browser.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { PortalClient } from '../src/testing/portal-client.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The consumer portal as an API builder embeds it: in an <iframe> of a page served from ANOTHER
 * origin (http://localhost:<port> embedding http://127.0.0.1:<herald>), in real Chromium, where
 * third-party cookies do not reach the frame. Skipped when /usr/bin/chromium is missing.
 */
if (!hasChromium)
  console.log('portal.browser.test.ts skipped: /usr/bin/chromium not found (apt-get install -y chromium)');

/** The API builder's page: `/?src=<portal link>&src=…` embeds each link; `/post` is a hostile form. */
async function startHost(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const body =
      url.pathname === '/post'
        ? `<form id="evil" method="post" action="${escape(url.searchParams.get('action') ?? '')}">
             <input type="hidden" name="_csrf" value="${escape(url.searchParams.get('csrf') ?? '')}">
             <input type="hidden" name="uri" value="${escape(url.searchParams.get('uri') ?? '')}">
             <input type="hidden" name="events" value="batch.succeeded">
             <button type="submit">go</button></form>`
        : url.searchParams
            .getAll('src')
            .map((s, i) => `<iframe id="f${i}" src="${escape(s)}" width="580" height="760"></iframe>`)
            .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body><h1>Acme app</h1>${body}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe.skipIf(!hasChromium)('the consumer portal in a cross-site iframe (Chromium)', () => {
  const chromium = useChromium();
  const clock = new ManualClock(Date.parse('2026-12-04T12:00:00Z'));
  let herald: TestHerald;
  let receiver: Receiver;
  let host: { server: Server; port: number };
  let hostOrigin: string;
  const admin = () => ({ 'x-goog-api-key': herald.adminKey });

  beforeAll(async () => {
    host = await startHost();
    hostOrigin = `http://localhost:${host.port}`;
    receiver = await startReceiver();
    herald = await startTestHerald({ clock, config: { portalFrameAncestors: hostOrigin } });
    for (const [id, name, accent] of [
      ['acme-a', 'Customer A', '#aa3300'],
      ['acme-b', 'Customer B', '#0066aa'],
    ] as const) {
      const res = await herald.api(
        'POST',
        '/v1beta/projects',
        { id, name, branding: { accent_color: accent } },
        admin(),
      );
      expect(res.status).toBe(200);
    }
  });

  afterAll(async () => {
    await herald?.close();
    await receiver?.close();
    await new Promise((resolve) => host?.server.close(resolve));
  });

  const embed = async (page: Page, links: string[], origin = hostOrigin) => {
    const q = new URLSearchParams(links.map((l): [string, string] => ['src', l]));
    await page.goto(`${origin}/?${q.toString()}`);
  };

  async function addEndpoint(frame: FrameLocator, name: string) {
    await frame.locator('input[name="name"]').fill(name);
    await frame.locator('input[name="uri"]').fill(receiver.url);
    await frame.locator('input[name="events"][value="batch.succeeded"]').check();
    await frame.locator('[data-action="create-webhook"]').click();
    return (await frame.locator('#new-secret').textContent())!;
  }

  it('works inside the iframe: adds an endpoint, sends a test event and shows its delivery', async () => {
    const { page, errors } = await chromium.newPage();
    const link = await new PortalClient(herald).link('acme-a');
    await embed(page, [link]);
    const frame = page.frameLocator('#f0');
    await frame.locator('h1:has-text("Endpoints")').waitFor();
    expect(await frame.locator('[data-portal-brand]').textContent()).toContain('Customer A');
    // No cookie was needed: the frame's URL carries the session.
    expect(await chromium.context()!.cookies()).toEqual([]);
    expect(page.frames()[1]!.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal\/s\/ps_[\w-]{43}\/$/);

    const secret = await addEndpoint(frame, 'orders receiver');
    expect(secret).toMatch(/^whsec_/);
    await frame.locator('[data-action="ping"]').click();
    await frame.locator('.flash.ok:has-text("Test event queued")').waitFor();
    await receiver.waitFor(1);
    await herald.waitForAttempts(1);
    await frame.locator('nav >> text=Deliveries').click();
    await frame.locator('tr[data-delivery] [data-status="succeeded"]').waitFor();
    expect(await frame.locator('table.deliveries').textContent()).toContain('webhook.ping');
    await frame.locator('tr[data-delivery] td a').first().click();
    await frame.locator('table.attempts [data-status-code="200"]').waitFor();
    // The accent colour reached the page through the nonce-allowed style.
    const brand = await frame
      .locator('body')
      .evaluate('getComputedStyle(document.body).getPropertyValue("--brand").trim()');
    expect(String(brand)).toBe('#aa3300');
    await shot(page, 'portal-01-iframe-delivery');
    expect(errors).toEqual([]);
  });

  it('shows two portals side by side, each with only its own project', async () => {
    const { page } = await chromium.newPage();
    await embed(page, [await new PortalClient(herald).link('acme-a'), await new PortalClient(herald).link('acme-b')]);
    const a = page.frameLocator('#f0');
    const b = page.frameLocator('#f1');
    await addEndpoint(b, 'only-in-b');
    await a.locator('h1:has-text("Endpoints")').waitFor();
    await a.locator('nav >> text=Endpoints').click();
    expect(await a.locator('main').textContent()).toContain('orders receiver');
    expect(await a.locator('main').textContent()).not.toContain('only-in-b');
    await b.locator('nav >> text=Endpoints').click();
    expect(await b.locator('main').textContent()).toContain('only-in-b');
    expect(await b.locator('main').textContent()).not.toContain('orders receiver');
    expect(await b.locator('[data-portal-brand]').textContent()).toContain('Customer B');
    await shot(page, 'portal-02-side-by-side');
  });

  it('refuses a cross-origin form POST even with the right CSRF token', async () => {
    const portal = await new PortalClient(herald).enter('acme-b');
    const csrf = await portal.csrf();
    const { page } = await chromium.newPage();
    const q = new URLSearchParams({ action: `${herald.url}${portal.base}/webhooks`, csrf, uri: receiver.url });
    await page.goto(`${hostOrigin}/post?${q.toString()}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/webhooks')),
      page.click('#evil button'),
    ]);
    await page.waitForURL(`${herald.url}${portal.base}/webhooks`);
    expect(response.status()).toBe(403);
    expect(await page.textContent('main')).toContain('came from another site');
    const home = await portal.get(`${portal.base}/`);
    expect(home.html.match(/data-webhook=/g)).toHaveLength(1); // only-in-b, nothing new
  });

  it('shows the expired page for an expired link and the not-valid page for a tampered one', async () => {
    const { page } = await chromium.newPage();
    const expiring = await new PortalClient(herald).link('acme-a', '60s');
    const good = await new PortalClient(herald).link('acme-a');
    const tampered = good.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
    clock.advance(60_000);
    await embed(page, [expiring, tampered]);
    await page.frameLocator('#f0').locator('h1:has-text("This link has expired")').waitFor();
    await page.frameLocator('#f1').locator('h1:has-text("This link is not valid")').waitFor();
    await shot(page, 'portal-03-expired-and-invalid');
  });

  it('is not shown in a page of an origin missing from HERALD_PORTAL_FRAME_ANCESTORS', async () => {
    const { page, errors } = await chromium.newPage();
    const link = await new PortalClient(herald).link('acme-a');
    // Same host, other name: http://127.0.0.1:<port> is not http://localhost:<port>.
    await embed(page, [link], `http://127.0.0.1:${host.port}`);
    const blocked = page.frames()[1]!;
    await expect.poll(() => errors.some((e) => e.includes('frame-ancestors'))).toBe(true);
    expect(await blocked.content()).not.toContain('Endpoints');
  });
});
