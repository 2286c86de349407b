import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/** The dashboard over plain HTTP: sessions, CSRF, escaping, assets, the live stream. */
let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function login(h: TestHerald, key = h.apiKey) {
  const page = await fetch(`${h.url}/dashboard/login`);
  const loginCookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${h.url}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM, cookie: loginCookie },
    body: new URLSearchParams({ _csrf: token, api_key: key, next: '/dashboard/webhooks' }),
  });
  return { res, loginCookie, token };
}

async function session(h: TestHerald) {
  const { res } = await login(h);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const page = await fetch(`${h.url}/`, { headers: { cookie } });
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(await page.text())![1]!;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(h.url + path, { headers: { cookie, ...headers }, redirect: 'manual' });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(h.url + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...FORM, cookie, ...headers },
      body: new URLSearchParams(form),
    });
  return { cookie, csrf, get, post };
}

describe('dashboard sessions', () => {
  it('redirects to the login page, logs in with the API key into an HttpOnly SameSite=Strict cookie, and logs out', async () => {
    herald = await startTestHerald();
    const h = herald;
    const anon = await fetch(`${h.url}/`, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/dashboard/login');
    const deep = await fetch(`${h.url}/dashboard/deliveries?status=failed`, { redirect: 'manual' });
    expect(deep.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2Fdeliveries%3Fstatus%3Dfailed');

    const { res } = await login(h);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/webhooks');
    const [set] = res.headers.getSetCookie();
    expect(set).toMatch(/^herald_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(set).not.toContain(h.apiKey);
    expect(set).not.toContain('Secure'); // plain http

    const s = await session(h);
    const home = await s.get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await home.text()).toContain('Overview');

    const out = await s.post('/dashboard/logout', { _csrf: s.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^herald_session=; .*Max-Age=0/);
  });

  it('refuses a wrong key (401) and a login form without its CSRF token (403)', async () => {
    herald = await startTestHerald();
    const h = herald;
    const bad = await login(h, 'hk_wrong');
    expect(bad.res.status).toBe(401);
    expect(await bad.res.text()).toContain('not valid');
    const forged = await fetch(`${h.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: FORM,
      body: new URLSearchParams({ api_key: h.apiKey }),
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('herald_session='))).toBe(false);
  });

  it('never follows an off-site next after login', async () => {
    herald = await startTestHerald();
    const h = herald;
    const page = await fetch(`${h.url}/dashboard/login`);
    const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await fetch(`${h.url}/dashboard/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...FORM, cookie },
        body: new URLSearchParams({ _csrf: token, api_key: h.apiKey, next }),
      });
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('marks cookies Secure and __Host- when the public URL is https', async () => {
    herald = await startTestHerald({ config: { publicUrl: 'https://herald.example' } });
    const page = await fetch(`${herald.url}/dashboard/login`);
    expect(page.headers.getSetCookie()[0]).toMatch(/^__Host-herald_login=.*; Secure$/);
    const { res } = await login(herald);
    expect(res.headers.getSetCookie()[0]).toMatch(/^__Host-herald_session=.*; HttpOnly; SameSite=Strict; .*Secure$/);
  });

  it('ends the session when its API key no longer exists', async () => {
    herald = await startTestHerald();
    const s = await session(herald);
    const forgedOther = s.cookie.replace(/=([\w-]+)\./, (_m, body: string) => {
      const p = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
      return `=${Buffer.from(JSON.stringify({ ...p, p: 'other-project' })).toString('base64url')}.`;
    });
    const r = await fetch(`${herald.url}/`, { headers: { cookie: forgedOther }, redirect: 'manual' });
    expect(r.status).toBe(303);
    // htmx requests get a client-side redirect instead of a page.
    const hx = await fetch(`${herald.url}/dashboard/webhooks`, {
      headers: { 'hx-request': 'true' },
      redirect: 'manual',
    });
    expect(hx.status).toBe(401);
    expect(hx.headers.get('hx-redirect')).toBe('/dashboard/login');
  });
});

describe('dashboard CSRF', () => {
  it('refuses a POST without the token, with a wrong token, or from another origin (403), and accepts the header form', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    herald = await startTestHerald();
    const s = await session(herald);
    const form = { name: 'x', uri: rx.url, events: 'invoice.ready' };
    const none = await s.post('/dashboard/webhooks', form);
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('security token');
    expect((await s.post('/dashboard/webhooks', { ...form, _csrf: `${s.csrf}x` })).status).toBe(403);
    expect(
      (await s.post('/dashboard/webhooks', { ...form, _csrf: s.csrf }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    const hx = await s.post('/dashboard/webhooks', form, { 'hx-request': 'true' });
    expect(hx.status).toBe(403);
    expect(hx.headers.get('hx-retarget')).toBe('#flash-slot');
    expect((await herald.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks')).body.webhooks).toHaveLength(0);

    const ok = await s.post('/dashboard/webhooks', form, { 'x-csrf-token': s.csrf, origin: herald.url });
    expect(ok.status).toBe(200);
    expect((await herald.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks')).body.webhooks).toHaveLength(1);
  });
});

describe('dashboard pages', () => {
  it('shows the new secret once, escapes every user-supplied string, and pretty-prints payloads', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    herald = await startTestHerald();
    const h = herald;
    const s = await session(h);
    const xss = `<img src=x onerror="alert('xss')">`;
    const created = await s.post('/dashboard/webhooks', {
      _csrf: s.csrf,
      name: `hook ${xss}`,
      uri: rx.url,
      events: 'invoice.ready',
      custom_events: 'report.done',
    });
    expect(created.status).toBe(200);
    const page = await created.text();
    const secret = /<code id="new-secret">(whsec_[^<]+)<\/code>/.exec(page)![1]!;
    expect(secret).toMatch(/^whsec_/);
    expect(page).toMatch(/shown\s+only once/);
    expect(page).not.toContain(xss);
    expect(page).toContain('hook &lt;img src=x onerror=&quot;alert(&#39;xss&#39;)&quot;&gt;');
    const id = /data-canonical="\/dashboard\/webhooks\/([0-9a-z]+)"/.exec(page)![1]!;
    const again = await (await s.get(`/dashboard/webhooks/${id}`)).text();
    expect(again).not.toContain(secret);
    expect(again).toContain('whsec_...');

    const ev = await h.api<{ id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: xss, user_metadata: { note: '</pre><script>alert(1)</script>' } },
    });
    await rx.waitFor(1);
    await h.waitForAttempts(1);
    const eventPage = await (await s.get(`/dashboard/events/${ev.body.id}`)).text();
    expect(eventPage).not.toContain('<script>alert(1)');
    expect(eventPage).not.toContain(xss);
    expect(eventPage).toContain('<span class="j-key">&quot;user_metadata&quot;</span>:');
    expect(eventPage).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const path of [
      '/',
      '/dashboard/webhooks',
      '/dashboard/deliveries',
      '/dashboard/events',
      '/dashboard/replay',
    ]) {
      const body = await (await s.get(path)).text();
      expect(body, path).not.toContain(xss);
    }
  });

  it('re-renders the create form with the reason when the input is invalid', async () => {
    herald = await startTestHerald();
    const s = await session(herald);
    const r = await s.post('/dashboard/webhooks', {
      _csrf: s.csrf,
      name: 'n',
      uri: 'ftp://x',
      events: 'invoice.ready',
    });
    expect(r.status).toBe(400);
    const body = await r.text();
    expect(body).toContain('is not allowed');
    expect(body).toContain('value="ftp://x"');
    const noEvents = await s.post('/dashboard/webhooks', { _csrf: s.csrf, uri: 'http://127.0.0.1:9/x' });
    expect(await noEvents.text()).toContain('events must list at least one event type');
  });

  it('edits, disables, enables, pings, retries and replays through forms', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    herald = await startTestHerald();
    const h = herald;
    const s = await session(h);
    const wh = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      name: 'w',
      uri: rx.url,
      subscribed_events: ['invoice.ready'],
    });
    const id = wh.body.id;
    const upd = await s.post(`/dashboard/webhooks/${id}/update`, {
      _csrf: s.csrf,
      name: 'renamed',
      uri: rx.url,
      events: 'batch.succeeded',
      custom_events: 'invoice.ready, report.done',
    });
    expect(upd.headers.get('location')).toBe(`/dashboard/webhooks/${id}?flash=updated`);
    expect(
      (await h.api<{ subscribed_events: string[]; name: string }>('GET', `/v1beta/webhooks/${id}`)).body,
    ).toMatchObject({
      name: 'renamed',
      subscribed_events: ['batch.succeeded', 'invoice.ready', 'report.done'],
    });
    await s.post(`/dashboard/webhooks/${id}/state`, { _csrf: s.csrf, state: 'disabled' });
    expect((await h.api<{ state: string }>('GET', `/v1beta/webhooks/${id}`)).body.state).toBe('disabled');
    const replayDisabled = await s.post('/dashboard/replay', {
      _csrf: s.csrf,
      webhook: id,
      since: new Date(Date.now() - 60_000).toISOString().slice(0, 16),
    });
    expect(replayDisabled.status).toBe(400);
    expect(await replayDisabled.text()).toContain('enable it');
    await s.post(`/dashboard/webhooks/${id}/state`, { _csrf: s.csrf, state: 'enabled' });

    const ping = await s.post(`/dashboard/webhooks/${id}/ping`, { _csrf: s.csrf });
    expect(ping.headers.get('location')).toBe(`/dashboard/webhooks/${id}?flash=pinged`);
    await rx.waitFor(1);
    await h.waitForAttempts(1);
    const [d] = (await h.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries')).body.deliveries;
    const retry = await s.post(`/dashboard/deliveries/${d!.id}/retry`, { _csrf: s.csrf });
    expect(retry.headers.get('location')).toBe(`/dashboard/deliveries/${d!.id}?flash=retry_queued`);
    await rx.waitFor(2);
    await h.waitForAttempts(2);
    const detail = await (await s.get(`/dashboard/deliveries/${d!.id}`)).text();
    expect(detail).toContain('data-attempt="2"');
    expect(detail).toMatch(/data-status="manual"/);

    const replay = await s.post('/dashboard/replay', {
      _csrf: s.csrf,
      webhook: id,
      since: new Date(Date.now() - 60_000).toISOString().slice(0, 16),
      only_failed: 'false',
    });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toContain('data-replayed="1"');
    await rx.waitFor(3);

    const del = await s.post(`/dashboard/webhooks/${id}/delete`, { _csrf: s.csrf, confirm: 'yes' });
    expect(del.headers.get('location')).toBe('/dashboard/webhooks?flash=deleted');
    expect((await s.get(`/dashboard/webhooks/${id}`)).status).toBe(404);
  });

  it('serves htmx 4.0.1 from node_modules with long-lived cache headers, and the stylesheet', async () => {
    herald = await startTestHerald();
    const s = await session(herald);
    const page = await (await s.get('/')).text();
    const src = /<script src="(\/dashboard\/assets\/htmx\.min\.js\?v=[\w-]+)"/.exec(page)![1]!;
    const js = await fetch(herald.url + src);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const text = await js.text();
    expect(text).toContain('4.0.1');
    const etag = js.headers.get('etag')!;
    expect((await fetch(herald.url + src, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"'\s]*\.(js|css)/); // no CDN
    const css = await fetch(`${herald.url}/dashboard/assets/dashboard.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${herald.url}/dashboard/assets/nope.js`)).status).toBe(404);
  });

  it('streams a change over SSE when an event is emitted, to logged-in users only', async () => {
    herald = await startTestHerald();
    const h = herald;
    expect((await fetch(`${h.url}/dashboard/stream`)).status).toBe(401);
    const s = await session(h);
    const ac = new AbortController();
    const res = await fetch(`${h.url}/dashboard/stream`, { headers: { cookie: s.cookie }, signal: ac.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const read = async (until: string) => {
      while (!text.includes(until)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += dec.decode(value);
      }
    };
    await read(': connected');
    await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: {} });
    await read('event: change');
    expect(text).toContain('"kinds":["event"]');
    ac.abort();
  });

  it('lists, filters, shows and cancels operations (names with slashes), escaping their metadata', async () => {
    herald = await startTestHerald();
    const h = herald;
    const s = await session(h);
    expect(await (await s.get('/dashboard/operations')).text()).toContain('Operations appear here once created');
    const op = await h.api<{ name: string }>('POST', '/v1beta/operations', {
      kind: 'etl.nightly',
      metadata: { note: '<script>alert(1)</script>' },
    });
    const list = await (await s.get('/dashboard/operations?kind=etl.nightly&state=pending')).text();
    expect(list).toContain(`data-operation="${op.body.name}"`);
    expect(await (await s.get('/dashboard/operations?state=succeeded')).text()).toContain('No operations match');
    const detail = await s.get(`/dashboard/operations/${op.body.name}`);
    expect(detail.status).toBe(200);
    const body = await detail.text();
    expect(body).not.toContain('<script>alert(1)');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await s.post('/dashboard/operations-cancel', { name: op.body.name })).status).toBe(403);
    const cancel = await s.post('/dashboard/operations-cancel', { _csrf: s.csrf, name: op.body.name });
    expect(cancel.status).toBe(303);
    expect((await h.api<{ state: string }>('GET', `/v1beta/${op.body.name}`)).body.state).toBe('cancelled');
    const again = await s.post('/dashboard/operations-cancel', { _csrf: s.csrf, name: op.body.name });
    expect(again.status).toBe(400);
    expect((await s.get('/dashboard/operations/operations/nope')).status).toBe(404);
  });

  it('says "All good" only when nothing is waiting: a delivery waiting for its retry is named instead', async () => {
    herald = await startTestHerald({ clock: new ManualClock() }); // a retry stays pending
    const h = herald;
    const ok = await startReceiver();
    const failing = await startReceiver(() => ({ status: 500, body: 'down' }));
    receivers.push(ok, failing);
    const s = await session(h);
    const hints = async () => {
      const text = await (await s.get('/')).text();
      return /<ul class="hints">([\s\S]*?)<\/ul>/
        .exec(text)![1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ');
    };
    await h.api('POST', '/v1beta/webhooks', { uri: ok.url, subscribed_events: ['invoice.ready'] });
    await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: {} });
    await h.waitForAttempts(1);
    expect(await hints()).toContain('All good.');

    await h.api('POST', '/v1beta/webhooks', { uri: failing.url, subscribed_events: ['invoice.failed'] });
    await h.api('POST', '/v1beta/events', { type: 'invoice.failed', data: {} });
    await h.waitForAttempts(2);
    const text = await hints();
    expect(text).toContain('1 delivery is waiting to be sent or retried');
    expect(text).not.toContain('All good');
  });

  it('renders a 404 page for unknown ids', async () => {
    herald = await startTestHerald();
    const s = await session(herald);
    const nf = await s.get('/dashboard/deliveries/dlv_nope');
    expect(nf.status).toBe(404);
    expect(await nf.text()).toContain('not found');
  });
});
