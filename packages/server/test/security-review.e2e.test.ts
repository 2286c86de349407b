import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Rows of the outside security review (issue #15) that are about what the HTTP API accepts,
 * run against every store: each request used to draw a 500 (or worse) and must now draw a
 * Google-style 4xx that says what to fix.
 */
const backends = await testBackends('security review');

type ErrorBody = { error: { code: number; message: string; status: string } };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(backends)('security review rows on $name', (backend) => {
  let h: TestHerald;
  beforeAll(async () => {
    await backend.reset();
    h = await startTestHerald({ config: { ...backend.config, maxRequestBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    await h.close();
  });

  async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const res = await fetch(h.url + path, {
      method,
      headers: {
        'x-goog-api-key': h.apiKey,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as ErrorBody };
  }

  describe('a crafted page_token is a 400, not a bind error', () => {
    const lists: [string, Record<string, unknown>[]][] = [
      ['/v1beta/events', [{ s: {} }, { s: 'x' }, { s: -1 }, { s: 1.5 }, { s: [] }]],
      [
        '/v1beta/webhooks',
        [
          { c: 'x', i: 'y' },
          { c: 1, i: {} },
          { c: {}, i: 'y' },
        ],
      ],
      ['/v1beta/deliveries', [{ b: {} }, { b: 5 }, { b: null }]],
      [
        '/v1beta/operations',
        [
          { c: 'x', n: 'y' },
          { c: 1, n: [] },
        ],
      ],
      [
        '/v1beta/batches',
        [
          { c: 'x', n: 'y' },
          { c: 1, n: {} },
        ],
      ],
    ];
    it.each(lists)('%s', async (path, tokens) => {
      for (const token of [...tokens.map(b64), 'eyJzIjp7fX0', 'not-base64!', b64([1])]) {
        const res = await send('GET', `${path}?page_token=${token}`);
        expect(res.status, `${path} ${token}`).toBe(400);
        expect(res.body.error.message).toMatch(/^page_token is not valid/);
      }
    });
  });

  describe('JSON nested too deep is a 400 naming the limit', () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    it.each([
      ['event data', (d: string) => `{"type":"x.y","data":${d}}`, '/v1beta/events'],
      ['operation metadata', (d: string) => `{"kind":"x.y","metadata":${d}}`, '/v1beta/operations'],
    ])('%s', async (_what, wrap, path) => {
      for (const n of [200, 5000, 50_000]) {
        const res = await send('POST', path, wrap(deep(n)));
        expect(res.status, `depth ${n}`).toBe(400);
        expect(res.body.error.message).toMatch(/"(data|metadata)" is nested more than 64 levels deep/);
      }
    });
    it('an array bomb too', async () => {
      const res = await send(
        'POST',
        '/v1beta/events',
        `{"type":"x.y","data":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/nested more than 64 levels deep/);
    });
    it('nesting up to the limit is accepted', async () => {
      const res = await send('POST', '/v1beta/events', `{"type":"x.y","data":${deep(60)}}`);
      expect(res.status).toBe(200);
    });
  });

  describe('a NUL character is a 400 naming the field', () => {
    it.each([
      [
        'webhook name',
        'POST',
        '/v1beta/webhooks',
        { name: 'a\u0000b', uri: 'http://127.0.0.1:9/h', subscribed_events: ['x.y'] },
        'name',
      ],
      ['key name', 'POST', '/v1beta/apiKeys', { name: 'a\u0000b' }, 'name'],
      ['listener name', 'POST', '/v1beta/listeners', { name: 'a\u0000b', subscribed_events: ['x.y'] }, 'name'],
      ['worker_id', 'POST', '/v1beta/operations:lease', { kinds: ['x.y'], worker_id: 'w\u0000' }, 'worker_id'],
      ['event data', 'POST', '/v1beta/events', { type: 'x.y', data: { deep: ['ok', 'n\u0000l'] } }, 'data.deep[1]'],
      ['a key', 'POST', '/v1beta/events', { type: 'x.y', data: { 'k\u0000': 1 } }, 'data'],
    ])('%s', async (_what, method, path, body, field) => {
      const res = await send(method, path, JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.error.status).toBe('INVALID_ARGUMENT');
      expect(res.body.error.message).toContain(`"${field}" contains a NUL character`);
    });

    it('in a query parameter', async () => {
      const res = await send('GET', '/v1beta/events?types=a%00b');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('"types" contains a NUL character');
    });

    it('in an upload display_name (query, header and resumable start)', async () => {
      const one = await fetch(`${h.url}/upload/v1beta/files?display_name=a%00b`, {
        method: 'POST',
        headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(one.status).toBe(400);
      expect(((await one.json()) as ErrorBody).error.message).toContain('contains a NUL character');
      const start = await fetch(`${h.url}/upload/v1beta/files`, {
        method: 'POST',
        headers: {
          'x-goog-api-key': h.apiKey,
          'x-goog-upload-protocol': 'resumable',
          'x-goog-upload-command': 'start',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ file: { display_name: 'a\u0000b' } }),
      });
      expect(start.status).toBe(400);
      expect(((await start.json()) as ErrorBody).error.message).toContain('contains a NUL character');
    });
  });

  it('in a dashboard form field', async () => {
    const page = await fetch(`${h.url}/dashboard/login`);
    const loginCookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const login = await fetch(`${h.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...form, cookie: loginCookie },
      body: new URLSearchParams({ _csrf: token, api_key: h.apiKey, next: '/' }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const list = await (await fetch(`${h.url}/dashboard/webhooks`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list)![1]!;
    const res = await fetch(`${h.url}/dashboard/webhooks`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...form, cookie, origin: h.url },
      body: new URLSearchParams({ _csrf: csrf, name: 'a\u0000b', uri: 'http://127.0.0.1:9/h', custom_events: 'x.y' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('&quot;name&quot; contains a NUL character');
  });

  it('a file whose display name is not Latin-1 downloads, with an RFC 5987 filename*', async () => {
    const up = await fetch(`${h.url}/upload/v1beta/files?display_name=${encodeURIComponent('日本語 "x".txt')}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'text/plain' },
      body: 'こんにちは',
    });
    expect(up.status).toBe(200);
    const { file } = (await up.json()) as { file: { name: string } };
    const res = await fetch(`${h.url}/v1beta/${file.name}:download?alt=media`, {
      headers: { 'x-goog-api-key': h.apiKey },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('こんにちは');
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toBe(`attachment; filename="___ _x_.txt"; filename*=UTF-8''${encodeURIComponent('日本語 "x".txt')}`);
  });
});

describe('unfinished resumable uploads', () => {
  let h: TestHerald;
  afterAll(async () => {
    await h.close();
  });

  it('hold bounded memory: a project past its budget gets 429, and finishing frees it', async () => {
    h = await startTestHerald();
    const MiB = 1024 * 1024;
    const start = async () => {
      const res = await fetch(`${h.url}/upload/v1beta/files`, {
        method: 'POST',
        headers: {
          'x-goog-api-key': h.apiKey,
          'x-goog-upload-protocol': 'resumable',
          'x-goog-upload-command': 'start',
        },
      });
      return { status: res.status, url: res.headers.get('x-goog-upload-url') };
    };
    const chunk = (url: string, offset: number, finalize = false) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'x-goog-api-key': h.apiKey,
          'x-goog-upload-command': finalize ? 'upload, finalize' : 'upload',
          'x-goog-upload-offset': String(offset),
        },
        body: Buffer.alloc(15 * MiB, 97),
      });
    const urls: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await start();
      if (s.status !== 200) {
        statuses.push(s.status);
        continue;
      }
      urls.push(s.url!);
      const res = await chunk(s.url!, 0);
      statuses.push(res.status);
      if (res.status !== 200) {
        const body = (await res.json()) as ErrorBody;
        expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
        expect(body.error.message).toMatch(
          /unfinished uploads of this project already hold \d+ bytes \(at most 67108864\)/,
        );
        expect(res.headers.get('retry-after')).toBe('60');
      }
    }
    // 64 MiB a project: four 15 MiB chunks held, the rest refused; sessions past 20 refused too.
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16);
    expect((await start()).status).toBe(429);
    // Finishing one frees its session and its bytes.
    const done = await fetch(urls[0]!, {
      method: 'POST',
      headers: {
        'x-goog-api-key': h.apiKey,
        'x-goog-upload-command': 'finalize',
        'x-goog-upload-offset': String(15 * MiB),
      },
    });
    expect(done.status).toBe(200);
    const again = await start();
    expect(again.status).toBe(200);
    expect((await chunk(again.url!, 0)).status).toBe(200);
  }, 60_000);
});

describe.each(backends)('Idempotency-Key reuse on $name', (backend) => {
  let h: TestHerald;
  beforeAll(async () => {
    await backend.reset();
    h = await startTestHerald({ config: backend.config });
  });
  afterAll(async () => {
    await h.close();
  });

  it('with another type or data is a 409; with the same request (any key order) returns the original', async () => {
    const headers = { 'idempotency-key': 'order-42' };
    const first = await h.api<{ id: string }>(
      'POST',
      '/v1beta/events',
      { type: 'x.y', data: { a: 1, b: [1, { c: 2 }] } },
      headers,
    );
    expect(first.status).toBe(200);
    const same = await fetch(`${h.url}/v1beta/events`, {
      method: 'POST',
      headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/json', ...headers },
      body: '{"data":{"b":[1,{"c":2}],"a":1},"type":"x.y"}',
    });
    expect(same.status).toBe(200);
    expect(same.headers.get('idempotent-replayed')).toBe('true');
    expect(((await same.json()) as { id: string }).id).toBe(first.body.id);
    for (const other of [
      { type: 'x.z', data: { a: 1, b: [1, { c: 2 }] } },
      { type: 'x.y', data: { a: 2, b: [1, { c: 2 }] } },
      { type: 'x.y', data: { a: 1, b: [1, { c: 2 }], d: null } },
    ]) {
      const res = await h.api<ErrorBody>('POST', '/v1beta/events', other, headers);
      expect(res.status).toBe(409);
      expect(res.body.error.status).toBe('ALREADY_EXISTS');
      expect(res.body.error.message).toMatch(/Idempotency-Key "order-42" was already used for a different event/);
    }
  });
});
