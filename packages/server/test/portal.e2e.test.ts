import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { PortalClient } from '../src/testing/portal-client.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let herald: TestHerald;
let receiver: Receiver;
const clock = new ManualClock(Date.parse('2026-12-04T12:00:00Z'));
const admin = () => ({ 'x-goog-api-key': herald.adminKey });

beforeAll(async () => {
  herald = await startTestHerald({ clock, config: { portalFrameAncestors: 'http://localhost:4000' } });
  receiver = await startReceiver();
  for (const [id, name] of [
    ['tenant-a', 'Tenant A'],
    ['tenant-b', 'Tenant B'],
  ])
    expect((await herald.api('POST', '/v1beta/projects', { id, name }, admin())).status).toBe(200);
});

afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

describe('portal entry', () => {
  it('opens a link once into a session in the URL path, with the portal headers', async () => {
    const portal = new PortalClient(herald);
    const url = await portal.link('tenant-a');
    const first = await portal.get(url);
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/portal\/s\/ps_[A-Za-z0-9_-]{43}\/$/);
    const home = await portal.get(first.location!);
    expect(home.status).toBe(200);
    expect(home.html).toContain('Tenant A');
    expect(home.headers.get('content-security-policy')).toContain('frame-ancestors http://localhost:4000');
    expect(home.headers.get('referrer-policy')).toBe('no-referrer');
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(home.headers.get('x-frame-options')).toBeNull();

    const again = await portal.get(url);
    expect(again.status).toBe(404);
    expect(again.html).toContain('This link is not valid');
    expect(again.html).toContain('already used');
  });

  it('says a tampered or unknown link is not valid, and an expired one has expired', async () => {
    const portal = new PortalClient(herald);
    const url = await portal.link('tenant-a', '60s');
    const tampered = url.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    expect((await portal.get(tampered)).status).toBe(404);
    expect((await portal.get('/portal/enter')).html).toContain('This link is not valid');
    clock.advance(60_000);
    const expired = await portal.get(url);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('This link has expired');
    expect(expired.html).toContain('get a new link');
  });

  it('answers 401 for an unknown or malformed session, never another page', async () => {
    const portal = new PortalClient(herald);
    for (const path of [`/portal/s/ps_${'A'.repeat(43)}/`, '/portal/s/nope/deliveries']) {
      const res = await portal.get(path);
      expect(res.status).toBe(401);
      expect(res.html).toContain('Your session has ended');
      expect(res.html).not.toContain('Tenant');
    }
  });
});

describe('portal pages', () => {
  it('adds an endpoint (secret shown once), pings it, shows the delivery and its attempt, retries it', async () => {
    const portal = await new PortalClient(herald).enter('tenant-a');
    const created = await portal.post(`${portal.base}/webhooks`, {
      name: 'orders',
      uri: receiver.url,
      events: ['batch.succeeded'],
    });
    expect(created.status).toBe(200);
    expect(created.html).toMatch(/<code id="new-secret">whsec_[A-Za-z0-9+/=]+<\/code>/);
    const id = /data-canonical="[^"]*\/webhooks\/([^"]+)"/.exec(created.html)![1]!;
    const page = await portal.get(`${portal.base}/webhooks/${id}`);
    expect(page.html).not.toContain('new-secret');

    const ping = await portal.post(`${portal.base}/webhooks/${id}/ping`, {});
    expect(ping.status).toBe(303);
    const [req] = await receiver.waitFor(1);
    expect(JSON.parse(req!.body)).toMatchObject({ type: 'webhook.ping' });
    await herald.waitForAttempts(1);

    const list = await portal.get(`${portal.base}/deliveries?webhook=${id}`);
    const deliveryId = /data-delivery="([^"]+)"/.exec(list.html)![1]!;
    const detail = await portal.get(`${portal.base}/deliveries/${deliveryId}`);
    expect(detail.html).toContain('data-attempt="1"');
    expect(detail.html).toContain('HTTP 200');
    const retry = await portal.post(`${portal.base}/deliveries/${deliveryId}/retry`, {});
    expect(retry.status).toBe(303);
    expect(retry.location).toBe(`${portal.base}/deliveries/${deliveryId}?flash=retry_queued`);

    const rotated = await portal.post(`${portal.base}/webhooks/${id}/rotate`, {});
    expect(rotated.html).toContain('Signing secret rotated.');
    const replayed = await portal.post(`${portal.base}/webhooks/${id}/replay`, {
      since: new Date(clock.now() - 3_600_000).toISOString().slice(0, 16),
      only_failed: 'false',
    });
    expect(replayed.status).toBe(200);
    expect(replayed.html).toMatch(/data-replayed="\d+"/);

    const edited = await portal.post(`${portal.base}/webhooks/${id}/update`, {
      name: 'orders v2',
      uri: receiver.url,
      events: ['batch.succeeded', 'batch.failed'],
    });
    expect(edited.status).toBe(303);
    expect((await portal.get(`${portal.base}/`)).html).toContain('orders v2');
    const bad = await portal.post(`${portal.base}/webhooks/${id}/update`, { name: 'x', uri: 'ftp://nope', events: [] });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('class="flash bad"');

    const deleted = await portal.post(`${portal.base}/webhooks/${id}/delete`, { confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect((await portal.get(`${portal.base}/`)).html).toContain('No endpoints yet');
  });

  it('shows only its own project: another project’s endpoint and delivery are not found', async () => {
    const b = await herald.api<{ id: string }>(
      'POST',
      '/v1beta/projects/tenant-b/webhooks',
      { uri: receiver.url, subscribed_events: ['batch.succeeded'] },
      admin(),
    );
    expect(b.status).toBe(200);
    const bId = b.body.id;
    expect(bId).toMatch(/^[0-9a-z]{36}$/);
    const a = await new PortalClient(herald).enter('tenant-a');
    expect((await a.get(`${a.base}/`)).html).not.toContain(bId);
    const other = await a.get(`${a.base}/webhooks/${bId}`);
    expect(other.status).toBe(404);
    expect((await a.post(`${a.base}/webhooks/${bId}/delete`, { confirm: 'yes' })).status).toBe(404);
    const mine = await new PortalClient(herald).enter('tenant-b');
    expect((await mine.get(`${mine.base}/`)).html).toContain(bId);
  });

  it('refuses a form without the token, with another session’s token, or not same-origin', async () => {
    const a = await new PortalClient(herald).enter('tenant-a');
    const b = await new PortalClient(herald).enter('tenant-a');
    const form = { uri: receiver.url, events: ['batch.succeeded'] };
    const path = `${a.base}/webhooks`;
    const cases = [
      await a.post(path, form, { csrf: null }),
      await a.post(path, form, { csrf: await b.csrf() }),
      await a.post(path, form, { headers: { origin: 'http://localhost:4000' } }),
      await a.post(path, form, { headers: { origin: herald.url, 'sec-fetch-site': 'cross-site' } }),
      await a.post(path, form, { headers: { origin: herald.url, 'sec-fetch-site': 'same-site' } }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(403);
      expect(res.html).toContain('security token or came from another site');
    }
    expect((await a.get(`${a.base}/`)).html).toContain('No endpoints yet');
    const ok = await a.post(path, form, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(ok.status).toBe(200);
  });

  it('brands the portal: name, logo (allowed in img-src) and accent colour (a nonce-allowed style)', async () => {
    const patched = await herald.api(
      'PATCH',
      '/v1beta/projects/tenant-b?update_mask=branding',
      { branding: { logo_uri: 'https://cdn.example.com/logo.png', accent_color: '#ff6600' } },
      admin(),
    );
    expect(patched.status).toBe(200);
    const b = await new PortalClient(herald).enter('tenant-b');
    const home = await b.get(`${b.base}/`);
    expect(home.html).toContain('<img src="https://cdn.example.com/logo.png"');
    expect(home.html).toContain('--brand: #ff6600');
    const csp = home.headers.get('content-security-policy')!;
    expect(csp).toContain("img-src 'self' data: https://cdn.example.com");
    const nonce = /<style nonce="([^"]+)"/.exec(home.html)![1]!;
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    const plain = await new PortalClient(herald).enter('tenant-a');
    expect((await plain.get(`${plain.base}/`)).html).not.toContain('<style');
  });

  it('ends the sessions of a deleted project', async () => {
    expect((await herald.api('POST', '/v1beta/projects', { id: 'tenant-z', name: 'Z' }, admin())).status).toBe(200);
    const z = await new PortalClient(herald).enter('tenant-z');
    expect((await z.get(`${z.base}/`)).status).toBe(200);
    expect((await herald.api('DELETE', '/v1beta/projects/tenant-z', undefined, admin())).status).toBe(200);
    expect((await z.get(`${z.base}/`)).status).toBe(401);
  });
});
