import { FailedPrecondition } from '../kernel/domain-errors.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';
import { ManualClock } from '../testing/manual-clock.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { ensureSigningKeys } from './ensure-signing-keys.js';
import { createKeyRing } from '../delivery/signing/key-ring.js';
import { MAX_RETIRED_PUBLISHED, RETIRED_KEY_PUBLISH_MS, SigningKeyService } from './signing-key-service.js';

const box = createSecretBox(new Uint8Array(32).fill(7));

describe('signing keys: bootstrap, key ring, rotation', () => {
  let dir: string;
  let store: SqliteStore;
  const clock = new ManualClock(1_800_000_000_000);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-sk-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps one key per algorithm, idempotently, even when two starts race', async () => {
    const [a, b] = await Promise.all([
      ensureSigningKeys({ store, secretBox: box, now: clock.now() }),
      ensureSigningKeys({ store, secretBox: box, now: clock.now() }),
    ]);
    expect(a.map((k) => k.alg)).toEqual(['EdDSA', 'RS256']);
    expect(b.map((k) => k.kid)).toEqual(a.map((k) => k.kid));
    const again = await ensureSigningKeys({ store, secretBox: box, now: clock.now() });
    expect(again.map((k) => k.kid)).toEqual(a.map((k) => k.kid));
    expect(await store.listPublishedSigningKeys(clock.now())).toHaveLength(2);
    // The private key is sealed at rest.
    expect(a[0]!.sealedPrivateKey).toMatch(/^v1\./);
    expect(box.open(a[0]!.sealedPrivateKey)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('the key ring returns the active key, imports it once, and follows a rotation at once', async () => {
    await ensureSigningKeys({ store, secretBox: box, now: clock.now() });
    const ring = createKeyRing({ store, secretBox: box });
    const first = await ring.active('EdDSA');
    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    expect((await ring.active('EdDSA')).privateKey).toBe(first.privateKey);
    expect((await ring.active('RS256')).privateKey.asymmetricKeyType).toBe('rsa');

    await new SigningKeyService({ store, secretBox: box, clock }).rotate(['EdDSA']);
    const next = await ring.active('EdDSA');
    expect(next.kid).not.toBe(first.kid);
  });

  it('the key ring fails with ESIGN when there is no key, or it cannot be opened', async () => {
    const ring = createKeyRing({ store, secretBox: box });
    await expect(ring.active('EdDSA')).rejects.toMatchObject({ code: 'ESIGN', message: /no active EdDSA/ });
    await ensureSigningKeys({ store, secretBox: box, now: clock.now() });
    const otherBox = createSecretBox(new Uint8Array(32).fill(8));
    await expect(createKeyRing({ store, secretBox: otherBox }).active('RS256')).rejects.toMatchObject({
      code: 'ESIGN',
      message: /cannot open RS256 signing key/,
    });
  });

  it('rotation retires the active key for a fixed real-time window and caps retired keys per algorithm', async () => {
    await ensureSigningKeys({ store, secretBox: box, now: clock.now() });
    const service = new SigningKeyService({ store, secretBox: box, clock });
    const before = await service.published();
    const after = await service.rotate();
    expect(after.map((k) => [k.alg, k.retiredAt === null])).toEqual([
      ['EdDSA', true],
      ['RS256', true],
      ['EdDSA', false],
      ['RS256', false],
    ]);
    expect(after.slice(2).map((k) => k.kid)).toEqual(before.map((k) => k.kid));
    expect(after[2]!.expireAt).toBe(clock.now() + RETIRED_KEY_PUBLISH_MS);
    expect((await service.jwks()).keys).toHaveLength(4);

    for (let i = 1; i < MAX_RETIRED_PUBLISHED; i++) await service.rotate(['EdDSA']);
    await expect(service.rotate(['EdDSA'])).rejects.toBeInstanceOf(FailedPrecondition);
    await expect(service.rotate(['RS256'])).resolves.toHaveLength(2 + MAX_RETIRED_PUBLISHED + 2);
    clock.advance(RETIRED_KEY_PUBLISH_MS);
    expect((await service.published()).map((k) => k.retiredAt)).toEqual([null, null]);
    await expect(service.rotate(['EdDSA'])).resolves.toHaveLength(3);
  });
});
