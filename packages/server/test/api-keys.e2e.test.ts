import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald();
});

afterAll(async () => {
  await herald?.close();
});

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
  create_time: string;
  revoke_time?: string;
  key?: string;
}

type ErrorJson = { error: { code: number; status: string; message: string } };

const as = (key: string) => ({ 'x-goog-api-key': key });

describe('/v1beta/apiKeys', () => {
  it('creates a key shown once, lists metadata only, and revokes another key at once', async () => {
    const created = await herald.api<KeyJson>('POST', '/v1beta/apiKeys', { name: 'ci' });
    expect(created.status).toBe(200);
    const k = created.body;
    expect(Object.keys(k).sort()).toEqual(['create_time', 'id', 'key', 'name', 'prefix']);
    expect(k.key).toMatch(/^hk_[0-9A-Za-z]{32}$/);
    expect(k).toMatchObject({ name: 'ci', prefix: k.key!.slice(0, 7) });
    expect(k.id).toMatch(/^key_/);

    // The new key works.
    expect((await herald.api('GET', '/v1beta/webhooks', undefined, as(k.key!))).status).toBe(200);

    const list = await herald.api<{ api_keys: KeyJson[] }>('GET', '/v1/apiKeys');
    expect(list.status).toBe(200);
    expect(list.body.api_keys.map((x) => x.name)).toEqual(['default', 'ci']);
    expect(JSON.stringify(list.body)).not.toContain(k.key!);
    for (const x of list.body.api_keys) expect(Object.keys(x).sort()).toEqual(['create_time', 'id', 'name', 'prefix']);

    const revoked = await herald.api<KeyJson>('DELETE', `/v1beta/apiKeys/${k.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: k.id, name: 'ci' });
    expect(revoked.body.revoke_time).toMatch(/Z$/);
    const denied = await herald.api<ErrorJson>('GET', '/v1beta/webhooks', undefined, as(k.key!));
    expect(denied.status).toBe(400);
    expect(denied.body.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      details: [{ reason: 'API_KEY_INVALID' }, { locale: 'en-US' }],
    });

    // Revoking again is harmless and keeps the first time.
    const again = await herald.api<KeyJson>('DELETE', `/v1beta/apiKeys/${k.id}`);
    expect(again.body.revoke_time).toBe(revoked.body.revoke_time);
  });

  it('refuses to revoke the key making the request unless force=true', async () => {
    const created = (await herald.api<KeyJson>('POST', '/v1beta/apiKeys', {})).body;
    expect(created.name).toBe('');
    const self = await herald.api<ErrorJson>('DELETE', `/v1beta/apiKeys/${created.id}`, undefined, as(created.key!));
    expect(self.status).toBe(400);
    expect(self.body.error.status).toBe('FAILED_PRECONDITION');
    expect(self.body.error.message).toMatch(/is the key making this request.*force=true/);
    expect((await herald.api('GET', '/v1beta/apiKeys', undefined, as(created.key!))).status).toBe(200);

    const forced = await herald.api<KeyJson>(
      'DELETE',
      `/v1beta/apiKeys/${created.id}?force=true`,
      undefined,
      as(created.key!),
    );
    expect(forced.status).toBe(200);
    expect((await herald.api('GET', '/v1beta/apiKeys', undefined, as(created.key!))).status).toBe(400);
  });

  it('unknown ids are NOT_FOUND; bad input is INVALID_ARGUMENT', async () => {
    const missing = await herald.api<ErrorJson>('DELETE', '/v1beta/apiKeys/key_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('API key "key_nope" not found');
    const long = await herald.api<ErrorJson>('POST', '/v1beta/apiKeys', { name: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    const extra = await herald.api<ErrorJson>('POST', '/v1beta/apiKeys', { name: 'a', scopes: [] });
    expect(extra.status).toBe(400);
    const force = await herald.api<ErrorJson>('DELETE', '/v1beta/apiKeys/key_nope?force=yes');
    expect(force.status).toBe(400);
  });
});
