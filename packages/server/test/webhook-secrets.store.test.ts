import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretRecord } from '../src/model/records.js';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/**
 * `activeSecrets`, what the signer reads for every attempt: each write of a webhook's secrets
 * (rotation, deletion of the webhook or its project) shows at the very next read, and expiry
 * follows the reader's `now`. The SQLite store answers from memory (SecretsCache), so these also
 * catch a write it forgot to forget.
 */
const factories = await testStores('webhook secrets store', { poolSize: 4 });

const T0 = 1_800_000_000_000;
const secret = (id: string, createdAt: number): SecretRecord => ({
  id,
  sealed: `sealed-${id}`,
  truncated: `whsec_${id}…`,
  createdAt,
  expireAt: null,
});
const hook = (id: string, projectId: string) =>
  webhookRecord(id, { projectId, secrets: [secret(id === 'wh_1' ? 's1' : `${id}_s1`, T0)] });
const ids = (secrets: SecretRecord[]) => secrets.map((s) => s.id);

for (const { name, open } of factories) {
  describe(`${name} store: active signing secrets`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-webhook-secrets-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.createWebhook(hook('wh_1', 'p1'));
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a rotation shows at the next read, and the overlap ends at the reader’s now', async () => {
      expect(ids(await store.activeSecrets('wh_1', T0 + 1))).toEqual(['s1']);
      const overlapEnd = T0 + 1000;
      await store.rotateSecret(
        'p1',
        'wh_1',
        { secret: secret('s2', T0 + 10), behavior: 'revoke_previous_secrets_after_h24', previousExpireAt: overlapEnd },
        T0 + 10,
      );
      expect(ids(await store.activeSecrets('wh_1', T0 + 500))).toEqual(['s2', 's1']);
      expect(ids(await store.activeSecrets('wh_1', overlapEnd + 1))).toEqual(['s2']);
      await store.rotateSecret(
        'p1',
        'wh_1',
        { secret: secret('s3', T0 + 20), behavior: 'revoke_previous_secrets_immediately', previousExpireAt: T0 + 20 },
        T0 + 20,
      );
      expect(ids(await store.activeSecrets('wh_1', T0 + 21))).toEqual(['s3']);
    });

    it('a deleted webhook, or one of a deleted project, has no secret at the next read', async () => {
      await store.createWebhook(hook('wh_2', 'p1'));
      expect(ids(await store.activeSecrets('wh_1', T0 + 1))).toEqual(['s1']);
      expect(ids(await store.activeSecrets('wh_2', T0 + 1))).toEqual(['wh_2_s1']);
      expect(await store.deleteWebhook('p1', 'wh_1', T0 + 2)).toBe(true);
      expect(await store.activeSecrets('wh_1', T0 + 3)).toEqual([]);
      expect(await store.deleteProject('p1')).toBe(true);
      expect(await store.activeSecrets('wh_2', T0 + 4)).toEqual([]);
    });

    it('a webhook created after its id was read is seen with its secrets', async () => {
      expect(await store.activeSecrets('wh_new', T0)).toEqual([]);
      await store.createWebhook(hook('wh_new', 'p1'));
      expect(ids(await store.activeSecrets('wh_new', T0 + 1))).toEqual(['wh_new_s1']);
    });
  });
}
