import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The API abuse sweep (issue #15): every route in `/openapi.json`, every verb it serves, with
 * malformed bodies, wrong types, deep nesting, NUL bytes and lone surrogates, huge strings and bad
 * query values. Each answer must come back (bounded by a timeout), never be a 5xx, and every 4xx
 * must be a Google-style error body. Deterministic: the same requests every run.
 */

const METHODS = ['get', 'post', 'patch', 'delete'] as const;
type Spec = { paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>> };

/** Path parameters get hostile values too. */
const PATH_VALUES = ['x', 'does-not-exist', '%00', '..%2F..%2Fetc', 'a'.repeat(600), '%F0%9F%98%80', '-1'];

/** JSON nested `n` levels deep, built as text (JSON.stringify would overflow the stack). */
const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const BODIES: string[] = [
  '',
  '{',
  'null',
  '[]',
  '"str"',
  '42',
  '{"type":1,"data":[]}',
  JSON.stringify({ name: 'a\u0000b', uri: 'http://127.0.0.1:9/x', subscribed_events: ['invoice.ready'] }),
  '{"name":"\\ud800","display_name":"\\udfff"}',
  JSON.stringify({ name: 'x'.repeat(200_000) }),
  deep(200),
  `{"type":"a.b","data":${deep(5000)}}`,
  JSON.stringify({ requests: Array.from({ length: 3 }, () => ({ type: 5 })) }),
  JSON.stringify({ kinds: 'not-a-list', lease_seconds: -1, percent: 'NaN', lease_id: {} }),
  JSON.stringify({ update_mask: 'nope', state: 'bogus', revocation_behavior: 7 }),
];
const QUERIES = [
  '?page_size=-1',
  '?page_size=abc',
  '?page_size=99999999999999999999',
  '?page_token=eyJzIjp7fX0',
  '?page_token=%00%00',
  '?pageToken=AAAA',
  '?wait=forever',
  '?wait=-5s',
  '?update_mask=%00',
  '?status=unknown&state=bogus',
  '?after=-1&types=%00',
  `?q=${'z'.repeat(10_000)}`,
];

let h: TestHerald;
let spec: Spec;
beforeAll(async () => {
  h = await startTestHerald();
  spec = (await (await fetch(`${h.url}/openapi.json`)).json()) as Spec;
});
afterAll(async () => {
  await h.close();
});

function concrete(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value);
}

describe('the API abuse sweep', () => {
  it('answers every hostile request without a 5xx or a hang, each 4xx a Google error body', async () => {
    const problems: string[] = [];
    let sent = 0;
    const send = async (method: string, url: string, body?: string) => {
      sent++;
      const ctl = AbortSignal.timeout(10_000);
      let res: Response;
      try {
        res = await fetch(h.url + url, {
          method: method.toUpperCase(),
          signal: ctl,
          headers: {
            'x-goog-api-key': h.apiKey,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
        });
      } catch (err) {
        problems.push(`${method.toUpperCase()} ${url.slice(0, 120)}: no answer (${String(err)})`);
        return;
      }
      const text = await res.text();
      if (res.status >= 500 && res.status !== 503) {
        problems.push(
          `${method.toUpperCase()} ${url.slice(0, 120)} ${body?.slice(0, 80) ?? ''}: ${res.status} ${text.slice(0, 200)}`,
        );
      } else if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('json')) {
        const e = (JSON.parse(text) as { error?: { code?: unknown; status?: unknown; message?: unknown } }).error;
        if (typeof e?.code !== 'number' || typeof e.status !== 'string' || typeof e.message !== 'string') {
          problems.push(`${method.toUpperCase()} ${url.slice(0, 120)}: ${res.status} without a Google error body`);
        }
      }
    };
    const paths = Object.keys(spec.paths).filter((p) => !p.endsWith(':stream') && !p.includes('/listeners/'));
    for (const path of paths) {
      for (const method of METHODS) {
        if (!spec.paths[path]?.[method]) continue;
        const targets = path.includes('{') ? PATH_VALUES.map((v) => concrete(path, v)) : [path];
        for (const target of targets) {
          for (const q of QUERIES.slice(0, target === path ? QUERIES.length : 3)) await send(method, target + q);
          if (method !== 'get' && method !== 'delete') {
            for (const body of BODIES.slice(0, target === targets[0] ? BODIES.length : 4))
              await send(method, target, body);
          }
        }
      }
    }
    console.log(`api abuse sweep: ${sent} requests over ${paths.length} paths`);
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 240_000);
});
