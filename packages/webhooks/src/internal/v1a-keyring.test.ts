import { describe, expect, it } from 'vitest';
import type { KeySet } from '../jwks/key-set.js';
import { createLocalJwks } from '../jwks/local-jwks.js';
import { createRemoteJwks } from '../jwks/remote-jwks.js';
import { countingImporter } from '../testing/counting-importer.js';
import { startJwksServer } from '../testing/jwks-server.js';
import { ed25519Key, signV1a, type TestKeyPair } from '../testing/keys.js';
import { decodeBase64 } from './base64.js';
import { ed25519Importer } from './ed25519.js';
import { V1aKeyring } from './v1a-keyring.js';

const id = 'msg_ring';
const ts = 1_800_000_000;
const body = '{"type":"batch.succeeded"}';
const data = new TextEncoder().encode(`${id}.${ts}.${body}`);

async function signature(key: TestKeyPair): Promise<Uint8Array<ArrayBuffer>[]> {
  const header = await signV1a(key, id, ts, body);
  return [new Uint8Array(decodeBase64(header.slice('v1a,'.length))!)];
}

async function keys(n: number): Promise<TestKeyPair[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => ed25519Key(`ed-${i + 1}`)));
}

describe('V1aKeyring', () => {
  it('imports each JWKS key once across requests, even when the key set returns a new list each time', async () => {
    const pairs = await keys(4);
    const local = createLocalJwks({ keys: pairs.map((p) => p.publicJwk) });
    const fresh: KeySet = { getKeys: async () => [...(await local.getKeys())], refresh: async () => undefined };
    const importer = countingImporter();
    const ring = new V1aKeyring({ publicKeys: [], keySet: fresh, importer });
    const sig = await signature(pairs[3]!);
    for (let i = 0; i < 10; i++) {
      expect(await ring.match(sig, data, { remaining: 16 })).toEqual({ kid: 'ed-4' });
    }
    expect(importer.calls).toBe(4);
  });

  it('tries the key that verified last first (one verification per request in the steady state)', async () => {
    const pairs = await keys(4);
    const ring = new V1aKeyring({
      publicKeys: [],
      keySet: createLocalJwks({ keys: pairs.map((p) => p.publicJwk) }),
      importer: ed25519Importer(),
    });
    const sig = await signature(pairs[3]!);
    const first = { remaining: 16 };
    await ring.match(sig, data, first);
    expect(first.remaining).toBe(12);
    const second = { remaining: 16 };
    await ring.match(sig, data, second);
    expect(second.remaining).toBe(15);
    const other = { remaining: 16 };
    expect(await ring.match(await signature(pairs[0]!), data, other)).toEqual({ kid: 'ed-1' });
    expect(other.remaining).toBe(14);
  });

  it('keeps at most cacheSize JWKS keys', async () => {
    const pairs = await keys(4);
    const ring = new V1aKeyring({
      publicKeys: [],
      keySet: createLocalJwks({ keys: pairs.map((p) => p.publicJwk) }),
      importer: ed25519Importer(),
      cacheSize: 2,
    });
    expect(await ring.match(await signature(pairs[3]!), data, { remaining: 16 })).toEqual({ kid: 'ed-4' });
    expect(ring.cachedKeys).toBe(2);
  });

  it('picks up a rotated key after a remote JWKS refresh and drops the retired one', async () => {
    const [oldKey, newKey] = await keys(2);
    const server = await startJwksServer([oldKey!.publicJwk]);
    try {
      let now = 1_000_000;
      const importer = countingImporter();
      const ring = new V1aKeyring({
        publicKeys: [],
        keySet: createRemoteJwks(server.url, { now: () => now, cooldown: 30_000 }),
        importer,
      });
      expect(await ring.match(await signature(oldKey!), data, { remaining: 16 })).toEqual({ kid: 'ed-1' });
      expect(ring.cachedKeys).toBe(1);
      server.setKeys([newKey!.publicJwk]);
      now += 31_000; // past the refetch cooldown
      expect(await ring.match(await signature(newKey!), data, { remaining: 16 })).toEqual({ kid: 'ed-2' });
      expect(importer.calls).toBe(2);
      expect(ring.cachedKeys).toBe(1);
      expect(await ring.match(await signature(oldKey!), data, { remaining: 16 })).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('answers false for a signature no key verifies, and ERR_JWKS_NO_MATCHING_KEY with no Ed25519 key', async () => {
    const [signer, other] = await keys(2);
    const ring = new V1aKeyring({
      publicKeys: [],
      keySet: createLocalJwks({ keys: [other!.publicJwk] }),
      importer: ed25519Importer(),
    });
    expect(await ring.match(await signature(signer!), data, { remaining: 16 })).toBe(false);
    const empty = new V1aKeyring({
      publicKeys: [],
      keySet: createLocalJwks({ keys: [] }),
      importer: ed25519Importer(),
    });
    await expect(empty.match(await signature(signer!), data, { remaining: 16 })).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });
});
