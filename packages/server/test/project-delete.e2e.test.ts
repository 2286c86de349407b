import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';
import { testBackends } from '../src/testing/test-backends.js';

/**
 * `DELETE /v1beta/projects/{id}` removes everything the project owns, on both stores: after it, a
 * project created again with the same id starts empty (no webhook, event, delivery, operation,
 * file, key or portal link of the old one), and other projects keep theirs.
 */
const backends = await testBackends('project delete');
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver?.close());

for (const backend of backends) {
  describe(`${backend.name}: deleting a project`, () => {
    let herald: TestHerald;
    afterEach(async () => herald?.close());

    it('removes webhooks, events, deliveries with attempts, operations, files, keys and portal links', async () => {
      await backend.reset();
      herald = await startTestHerald({ config: backend.config });
      const admin = { 'x-goog-api-key': herald.adminKey };
      const seed = async (id: string) => {
        expect((await herald.api('POST', '/v1beta/projects', { id, name: id }, admin)).status).toBe(200);
        const p = `/v1beta/projects/${id}`;
        const key = await herald.api<{ key: string }>('POST', `${p}/apiKeys`, { name: 'k' }, admin);
        await herald.api('POST', `${p}/webhooks`, { uri: receiver.url, subscribed_events: ['job.done'] }, admin);
        await herald.api('POST', `${p}/events`, { type: 'job.done', data: { id } }, admin);
        const op = await herald.api<{ name: string }>(
          'POST',
          `${p}/operations`,
          { kind: 'external', metadata: { id } },
          admin,
        );
        const link = await herald.api<{ token: string }>('POST', `${p}:createPortalSession`, {}, admin);
        expect(link.status).toBe(200);
        return { key: key.body.key, op: op.body.name, link: link.body.token };
      };
      const doomed = await seed('doomed-co');
      const kept = await seed('kept-co');
      await herald.waitForAttempts(2);

      const del = await herald.api('DELETE', '/v1beta/projects/doomed-co', undefined, admin);
      expect(del.status).toBe(200);
      expect((await herald.api('DELETE', '/v1beta/projects/doomed-co', undefined, admin)).status).toBe(404);
      // Its key no longer authenticates; the portal link is gone with it.
      expect((await herald.api('GET', '/v1beta/webhooks', undefined, { 'x-goog-api-key': doomed.key })).status).toBe(
        400,
      );

      expect((await herald.api('POST', '/v1beta/projects', { id: 'doomed-co', name: 'again' }, admin)).status).toBe(
        200,
      );
      const p = '/v1beta/projects/doomed-co';
      for (const [path, field] of [
        ['webhooks', 'webhooks'],
        ['events', 'events'],
        ['deliveries', 'deliveries'],
        ['operations', 'operations'],
      ] as const) {
        const list = await herald.api<Record<string, unknown[]>>('GET', `${p}/${path}`, undefined, admin);
        expect(list.status, path).toBe(200);
        expect(list.body[field] ?? [], path).toEqual([]);
      }
      const keys = await herald.api<{ api_keys: unknown[] }>('GET', `${p}/apiKeys`, undefined, admin);
      expect(keys.body.api_keys).toEqual([]);
      expect((await herald.api('GET', `${p}/${doomed.op}`, undefined, admin)).status).toBe(404);

      // The other project is untouched.
      const asKept = { 'x-goog-api-key': kept.key };
      expect(
        (await herald.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks', undefined, asKept)).body.webhooks,
      ).toHaveLength(1);
      expect(
        (await herald.api<{ events: unknown[] }>('GET', '/v1beta/events', undefined, asKept)).body.events,
      ).toHaveLength(1);
      expect((await herald.api('GET', `/v1beta/${kept.op}`, undefined, asKept)).status).toBe(200);
    });
  });
}
