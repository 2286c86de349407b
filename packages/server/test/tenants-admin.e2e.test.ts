import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  herald = await startTestHerald();
  receiver = await startReceiver();
});

afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

type ErrorJson = { error: { code: number; status: string; message: string } };
interface ProjectJson {
  id: string;
  name: string;
  branding?: { logo_uri?: string; accent_color?: string };
  limits?: { events_per_second?: number; max_webhooks?: number };
  dynamic_signing: string;
  create_time: string;
}
const admin = () => ({ 'x-goog-api-key': herald.adminKey });

describe('the admin plane', () => {
  it('creates a project with the caller id, refuses a second one with 409, and lists, filters and pages', async () => {
    expect(herald.adminKey).toMatch(/^ha_[0-9A-Za-z]{32}$/);
    const a = await herald.api<ProjectJson>('POST', '/v1beta/projects', { id: 'tenant-a', name: 'Tenant A' }, admin());
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: 'tenant-a', name: 'Tenant A', dynamic_signing: 'jwt' });
    const again = await herald.api<ErrorJson>('POST', '/v1beta/projects', { id: 'tenant-a', name: 'x' }, admin());
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ status: 'ALREADY_EXISTS' });
    expect(again.body.error.message).toContain('tenant-a');

    const generated = await herald.api<ProjectJson>('POST', '/v1/projects', { name: 'Generated Co' }, admin());
    expect(generated.status).toBe(200);
    expect(generated.body.id).toMatch(/^p-[0-9a-z]{12}$/);

    for (const n of ['b', 'c', 'd']) {
      expect(
        (
          await herald.api(
            'POST',
            '/v1beta/projects',
            { id: `tenant-${n}`, name: `Tenant ${n.toUpperCase()}` },
            admin(),
          )
        ).status,
      ).toBe(200);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await herald.api<{ projects: ProjectJson[]; next_page_token?: string }>(
        'GET',
        `/v1beta/projects?page_size=2${token ? `&page_token=${token}` : ''}`,
        undefined,
        admin(),
      );
      expect(page.status).toBe(200);
      expect(page.body.projects.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.projects.map((p) => p.id));
      token = page.body.next_page_token;
    } while (token);
    expect(seen).toEqual(['default', 'tenant-a', generated.body.id, 'tenant-b', 'tenant-c', 'tenant-d']);

    const filtered = await herald.api<{ projects: ProjectJson[] }>(
      'GET',
      '/v1beta/projects?filter=name:tenant',
      undefined,
      admin(),
    );
    expect(filtered.body.projects.map((p) => p.id)).toEqual(['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d']);
    const badFilter = await herald.api<ErrorJson>('GET', '/v1beta/projects?filter=state=x', undefined, admin());
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.message).toContain('name:<text>');
  });

  it('names the id pattern for a bad id, and 404s an unknown project', async () => {
    const bad = await herald.api<ErrorJson>('POST', '/v1beta/projects', { id: 'Bad_ID', name: 'x' }, admin());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('^[a-z][a-z0-9-]{2,62}$');
    const missing = await herald.api<ErrorJson>('GET', '/v1beta/projects/nobody-here', undefined, admin());
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('project "nobody-here" not found');
    const scoped = await herald.api<ErrorJson>('GET', '/v1beta/projects/nobody-here/webhooks', undefined, admin());
    expect(scoped.status).toBe(404);
  });

  it('updates name, branding and limits with and without update_mask', async () => {
    await herald.api('POST', '/v1beta/projects', { id: 'brand-co', name: 'Brand' }, admin());
    const patched = await herald.api<ProjectJson>(
      'PATCH',
      '/v1beta/projects/brand-co',
      {
        name: 'Brand Co',
        branding: { logo_uri: 'https://cdn.example/logo.png', accent_color: '#4F46E5' },
        limits: { max_webhooks: 3 },
      },
      admin(),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Brand Co',
      branding: { logo_uri: 'https://cdn.example/logo.png', accent_color: '#4f46e5' },
      limits: { max_webhooks: 3 },
    });
    const masked = await herald.api<ProjectJson>(
      'PATCH',
      '/v1beta/projects/brand-co?update_mask=limits',
      { name: 'ignored', limits: { max_webhooks: null, events_per_second: 50 } },
      admin(),
    );
    expect(masked.body).toMatchObject({ name: 'Brand Co', limits: { events_per_second: 50 } });
    expect(masked.body.limits?.max_webhooks).toBeUndefined();
    const badColour = await herald.api<ErrorJson>(
      'PATCH',
      '/v1beta/projects/brand-co',
      { branding: { accent_color: 'red' } },
      admin(),
    );
    expect(badColour.status).toBe(400);
    expect(badColour.body.error.message).toContain('#rrggbb');
  });

  it('gives a project key 403 on every admin method, saying an admin key is needed', async () => {
    const calls: [string, string, unknown?][] = [
      ['POST', '/v1beta/projects', { name: 'x' }],
      ['GET', '/v1beta/projects'],
      ['GET', '/v1beta/projects/default'],
      ['PATCH', '/v1beta/projects/default', { name: 'x' }],
      ['DELETE', '/v1beta/projects/tenant-a'],
      ['POST', '/v1beta/signingKeys:rotate', {}],
    ];
    for (const [method, path, body] of calls) {
      const r = await herald.api<ErrorJson>(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.message).toContain('admin key');
    }
    const rotated = await herald.api<{ signing_keys: unknown[] }>('POST', '/v1beta/signingKeys:rotate', {}, admin());
    expect(rotated.status).toBe(200);
  });

  it('serves every project route under /projects/{id}, mints keys there, and keeps project keys to their own project', async () => {
    await herald.api('POST', '/v1beta/projects', { id: 'scope-a', name: 'A' }, admin());
    await herald.api('POST', '/v1beta/projects', { id: 'scope-b', name: 'B' }, admin());
    const keyA = await herald.api<{ key: string }>(
      'POST',
      '/v1beta/projects/scope-a/apiKeys',
      { name: 'backend' },
      admin(),
    );
    expect(keyA.status).toBe(200);
    const asA = { 'x-goog-api-key': keyA.body.key };
    const hook = await herald.api<{ id: string }>(
      'POST',
      '/v1beta/projects/scope-a/webhooks',
      { uri: receiver.url, subscribed_events: ['invoice.ready'] },
      admin(),
    );
    expect(hook.status).toBe(200);
    // The project key sees it un-prefixed and under its own prefix; project B and the default don't.
    expect((await herald.api('GET', `/v1beta/webhooks/${hook.body.id}`, undefined, asA)).status).toBe(200);
    expect((await herald.api('GET', `/v1beta/projects/scope-a/webhooks/${hook.body.id}`, undefined, asA)).status).toBe(
      200,
    );
    expect((await herald.api('GET', `/v1beta/webhooks/${hook.body.id}`)).status).toBe(404);
    expect(
      (await herald.api('GET', `/v1beta/projects/scope-b/webhooks/${hook.body.id}`, undefined, admin())).status,
    ).toBe(404);
    const other = await herald.api<ErrorJson>('GET', '/v1beta/projects/scope-b/webhooks', undefined, asA);
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe('project "scope-b" not found');
    // The admin key may name the project in a header on un-prefixed routes (the SDK's httpOptions.headers).
    const viaHeader = await herald.api<{ webhooks: { id: string }[] }>('GET', '/v1beta/webhooks', undefined, {
      ...admin(),
      'x-herald-project': 'scope-a',
    });
    expect(viaHeader.body.webhooks.map((w) => w.id)).toEqual([hook.body.id]);

    // The admin key emits into the project; its receiver gets the delivery.
    const ev = await herald.api<{ id: string }>(
      'POST',
      '/v1beta/projects/scope-a/events',
      { type: 'invoice.ready', data: { n: 1 } },
      admin(),
    );
    expect(ev.status).toBe(200);
    await receiver.waitFor(1);
    expect((await herald.api('GET', `/v1beta/events/${ev.body.id}`, undefined, asA)).status).toBe(200);
    expect((await herald.api('GET', `/v1beta/events/${ev.body.id}`)).status).toBe(404);
  });

  it('deletes a project with everything it owns; its keys stop working; the default project stays', async () => {
    await herald.api('POST', '/v1beta/projects', { id: 'gone-soon', name: 'Gone' }, admin());
    const key = await herald.api<{ key: string }>('POST', '/v1beta/projects/gone-soon/apiKeys', {}, admin());
    await herald.api(
      'POST',
      '/v1beta/projects/gone-soon/webhooks',
      { uri: receiver.url, subscribed_events: ['x.y'] },
      admin(),
    );
    await herald.api('POST', '/v1beta/projects/gone-soon/events', { type: 'x.y', data: {} }, admin());
    const del = await herald.api('DELETE', '/v1beta/projects/gone-soon', undefined, admin());
    expect(del.status).toBe(200);
    expect((await herald.api('GET', '/v1beta/projects/gone-soon', undefined, admin())).status).toBe(404);
    expect((await herald.api('GET', '/v1beta/webhooks', undefined, { 'x-goog-api-key': key.body.key })).status).toBe(
      400,
    );
    const recreated = await herald.api<ProjectJson>(
      'POST',
      '/v1beta/projects',
      { id: 'gone-soon', name: 'Back' },
      admin(),
    );
    expect(recreated.status).toBe(200);
    const hooks = await herald.api<{ webhooks: unknown[] }>(
      'GET',
      '/v1beta/projects/gone-soon/webhooks',
      undefined,
      admin(),
    );
    expect(hooks.body.webhooks).toEqual([]);
    const keepDefault = await herald.api<ErrorJson>('DELETE', '/v1beta/projects/default', undefined, admin());
    expect(keepDefault.status).toBe(400);
    expect(keepDefault.body.error.status).toBe('FAILED_PRECONDITION');
  });
});
