import { beforeAll, describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import { WebhookVerifier } from './webhook-verifier.js';
import { WebhookVerificationError, type WebhookErrorCode } from './errors.js';
import { createLocalJwks } from './jwks/local-jwks.js';
import { D5, frozenAt, SW1, SW3 } from './testing/vectors.js';
import { ed25519Key, mintJwt, rsaKey, signV1a, type TestKeyPair } from './testing/keys.js';

const headersFor = (id: string, timestamp: number, signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

async function codeOf(promise: Promise<unknown>): Promise<WebhookErrorCode | 'no error'> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('WebhookVerifier v1a (Ed25519)', () => {
  it('SW-3 (official) verifies with the whpk_ key and with the same key as a JWK', async () => {
    const fromWhpk = new WebhookVerifier({ publicKeys: SW3.publicKey, now: frozenAt(SW3.timestamp) });
    const delivery = await fromWhpk.verifyDelivery(SW3.body, headersFor(SW3.id, SW3.timestamp, SW3.signature));
    expect(delivery).toMatchObject({ scheme: 'v1a', id: SW3.id, event: { test: 2432232314 } });
    const fromJwks = new WebhookVerifier({
      jwks: { keys: [{ ...SW3.jwk, kid: 'svix-docs', alg: 'EdDSA', use: 'sig' }] },
      now: frozenAt(SW3.timestamp),
    });
    const viaJwks = await fromJwks.verifyDelivery(SW3.body, headersFor(SW3.id, SW3.timestamp, SW3.signature));
    expect(viaJwks).toMatchObject({ scheme: 'v1a', kid: 'svix-docs' });
  });

  it('D-5 (derived) verifies with the SW-3 public key', async () => {
    const verifier = new WebhookVerifier({ publicKeys: [D5.publicKey], now: frozenAt(D5.timestamp) });
    await expect(verifier.verify(D5.body, headersFor(D5.id, D5.timestamp, D5.signature))).resolves.toMatchObject({
      type: 'contact.created',
    });
  });

  it('tampered body, id, timestamp or signature → ERR_SIGNATURE_MISMATCH', async () => {
    const verifier = new WebhookVerifier({ publicKeys: SW3.publicKey, now: frozenAt(SW3.timestamp) });
    const h = headersFor(SW3.id, SW3.timestamp, SW3.signature);
    expect(await codeOf(verifier.verify(SW3.body.replace('2', '3'), h))).toBe('ERR_SIGNATURE_MISMATCH');
    expect(await codeOf(verifier.verify(SW3.body, { ...h, 'webhook-id': 'msg_x' }))).toBe('ERR_SIGNATURE_MISMATCH');
    expect(await codeOf(verifier.verify(SW3.body, { ...h, 'webhook-timestamp': String(SW3.timestamp + 1) }))).toBe(
      'ERR_SIGNATURE_MISMATCH',
    );
    const flipped = SW3.signature.replace('hnO3', 'hnO4');
    expect(await codeOf(verifier.verify(SW3.body, { ...h, 'webhook-signature': flipped }))).toBe(
      'ERR_SIGNATURE_MISMATCH',
    );
  });

  it('wrong key → ERR_SIGNATURE_MISMATCH; v1-only header → ERR_NO_SUPPORTED_SIGNATURE', async () => {
    const other = await ed25519Key('other');
    const verifier = new WebhookVerifier({ jwks: { keys: [other.publicJwk] }, now: frozenAt(SW3.timestamp) });
    expect(await codeOf(verifier.verify(SW3.body, headersFor(SW3.id, SW3.timestamp, SW3.signature)))).toBe(
      'ERR_SIGNATURE_MISMATCH',
    );
    expect(await codeOf(verifier.verify(SW1.body, headersFor(SW1.id, SW3.timestamp, SW1.signature)))).toBe(
      'ERR_NO_SUPPORTED_SIGNATURE',
    );
  });

  it('JWKS with several Ed25519 keys and a header with several v1a entries (rotation)', async () => {
    const [k1, k2, k3] = await Promise.all([ed25519Key('k1'), ed25519Key('k2'), ed25519Key('k3')]);
    const rsa = await rsaKey('r1');
    const now = 1_700_000_000;
    const body =
      '{"type":"webhook.ping","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"webhooks/w1"}}';
    const header = `${await signV1a(k3, 'msg_1', now, body)} ${await signV1a(k2, 'msg_1', now, body)}`;
    const verifier = new WebhookVerifier({
      jwks: { keys: [rsa.publicJwk, k1.publicJwk, k2.publicJwk] },
      now: frozenAt(now),
    });
    const delivery = await verifier.verifyDelivery(body, headersFor('msg_1', now, header));
    expect(delivery).toMatchObject({ scheme: 'v1a', kid: 'k2' });
  });

  it('bounds Ed25519 attempts per request', async () => {
    const keys = await Promise.all(Array.from({ length: 4 }, (_, i) => ed25519Key(`k${i}`)));
    const now = 1_700_000_000;
    const header = await signV1a(keys[3]!, 'msg_1', now, '{}');
    const bounded = new WebhookVerifier({
      jwks: { keys: keys.map((k) => k.publicJwk) },
      now: frozenAt(now),
      maxV1aAttempts: 3,
    });
    expect(await codeOf(bounded.verify('{}', headersFor('msg_1', now, header)))).toBe('ERR_SIGNATURE_MISMATCH');
    const enough = new WebhookVerifier({
      jwks: { keys: keys.map((k) => k.publicJwk) },
      now: frozenAt(now),
      maxV1aAttempts: 4,
    });
    expect(await codeOf(enough.verify('{}', headersFor('msg_1', now, header)))).toBe('no error');
  });

  it('a JWKS without Ed25519 keys → ERR_JWKS_NO_MATCHING_KEY', async () => {
    const rsa = await rsaKey('r1');
    const verifier = new WebhookVerifier({ jwks: { keys: [rsa.publicJwk] }, now: frozenAt(SW3.timestamp) });
    expect(await codeOf(verifier.verify(SW3.body, headersFor(SW3.id, SW3.timestamp, SW3.signature)))).toBe(
      'ERR_JWKS_NO_MATCHING_KEY',
    );
  });

  it('accepts v1 and v1a side by side (either may match)', async () => {
    const verifier = new WebhookVerifier({
      secrets: SW1.secret,
      publicKeys: SW3.publicKey,
      now: frozenAt(SW1.timestamp),
    });
    const both = `${SW1.signature} ${SW3.signature}`;
    expect((await verifier.verifyDelivery(SW1.body, headersFor(SW1.id, SW1.timestamp, both))).scheme).toBe('v1');
    expect((await verifier.verifyDelivery(SW1.body, headersFor(SW1.id, SW1.timestamp, SW3.signature))).scheme).toBe(
      'v1a',
    );
  });

  for (const ed25519 of ['node', 'webcrypto'] as const) {
    it(`ed25519: '${ed25519}' verifies string and byte bodies; a wrong key fails with the same code`, async () => {
      const h = headersFor(SW3.id, SW3.timestamp, SW3.signature);
      const right = new WebhookVerifier({ publicKeys: SW3.publicKey, now: frozenAt(SW3.timestamp), ed25519 });
      const bytes = new TextEncoder().encode(SW3.body);
      for (const body of [SW3.body, bytes, bytes.buffer, SW3.body]) {
        expect(await codeOf(right.verify(body, h))).toBe('no error');
      }
      expect(await codeOf(right.verify(SW3.body.replace('2', '3'), h))).toBe('ERR_SIGNATURE_MISMATCH');
      const other = await ed25519Key('other');
      const whpk = `whpk_${btoa(String.fromCharCode(...new Uint8Array(Buffer.from(other.publicJwk.x!, 'base64url'))))}`;
      const wrongWhpk = new WebhookVerifier({ publicKeys: whpk, now: frozenAt(SW3.timestamp), ed25519 });
      const wrongJwks = new WebhookVerifier({
        jwks: { keys: [other.publicJwk] },
        now: frozenAt(SW3.timestamp),
        ed25519,
      });
      for (const wrong of [wrongWhpk, wrongJwks]) {
        expect(await codeOf(wrong.verify(SW3.body, h))).toBe('ERR_SIGNATURE_MISMATCH');
        expect(await codeOf(wrong.verify(SW3.body, h))).toBe('ERR_SIGNATURE_MISMATCH');
      }
    });
  }

  it('rejects invalid options and keys', () => {
    expect(() => new WebhookVerifier({})).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    expect(() => new WebhookVerifier({ publicKeys: 'whpk_AAAA' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_KEY' }),
    );
    expect(() => new WebhookVerifier({ jwks: { nope: [] } as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_KEY' }),
    );
    expect(() => new WebhookVerifier({ secrets: SW1.secret, jwt: { audience: 'x' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});

describe('WebhookVerifier JWT mode (RS256 via JWKS)', () => {
  const audience = 'https://receiver.test/webhooks';
  const issuer = 'https://herald.test';
  const now = 1_700_000_000;
  const id = 'msg_jwt_1';
  const body =
    '{"type":"batch.succeeded","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"batches/b1","output_file_uri":"files/batch-b1"}}';
  let rsa: TestKeyPair;
  let rsa2: TestKeyPair;
  let ed: TestKeyPair;
  let jwks: { keys: JWK[] };
  let verifier: WebhookVerifier;

  beforeAll(async () => {
    [rsa, rsa2, ed] = await Promise.all([rsaKey('rsa-1'), rsaKey('rsa-2'), ed25519Key('ed-1')]);
    jwks = { keys: [ed.publicJwk, rsa.publicJwk, rsa2.publicJwk] };
    verifier = new WebhookVerifier({ jwks, jwt: { audience, issuer }, now: frozenAt(now) });
  });

  const token = (overrides: Partial<Parameters<typeof mintJwt>[1]> = {}, key = rsa) =>
    mintJwt(key, { id, body, audience, issuer, iat: now, ...overrides });

  it('verifies a Herald JWT (base64url body_sha256) and returns claims and kid', async () => {
    const delivery = await verifier.verifyDelivery(body, headersFor(id, now, await token()));
    expect(delivery).toMatchObject({ scheme: 'jwt', kid: 'rsa-1', id, event: { type: 'batch.succeeded' } });
    expect(delivery.claims).toMatchObject({
      aud: audience,
      iss: issuer,
      jti: id,
      type: 'batch.succeeded',
      version: 'v1',
    });
  });

  it('accepts a hex body_sha256 too, and a key selected by kid among several RSA keys', async () => {
    const delivery = await verifier.verifyDelivery(body, headersFor(id, now, await token({ bodyHash: 'hex' }, rsa2)));
    expect(delivery.kid).toBe('rsa-2');
  });

  it.each([
    ['wrong aud', { audience: 'https://evil.test' }, 'ERR_JWT_CLAIM', 'aud'],
    ['wrong iss', { issuer: 'https://evil.test' }, 'ERR_JWT_CLAIM', 'iss'],
    ['expired', { iat: now - 400, exp: now - 100 }, 'ERR_JWT_CLAIM', 'exp'],
    ['jti ≠ webhook-id', { jti: 'msg_other' }, 'ERR_JWT_CLAIM', 'jti'],
    ['body_sha256 missing', { bodyHash: 'none' }, 'ERR_JWT_CLAIM', 'body_sha256'],
    ['body_sha256 of another body', { body: '{"type":"x.y","data":{}}' }, 'ERR_BODY_MISMATCH', undefined],
    ['unknown kid', { kid: 'rsa-9' }, 'ERR_JWKS_NO_MATCHING_KEY', undefined],
  ] as const)('%s → %s', async (_name, overrides, code, claim) => {
    const error = await verifier.verify(body, headersFor(id, now, await token(overrides))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ code, ...(claim ? { claim } : {}) });
  });

  it('tampered body → ERR_BODY_MISMATCH; tampered JWT signature → ERR_SIGNATURE_MISMATCH', async () => {
    const jwt = await token();
    expect(await codeOf(verifier.verify(body.replace('b1', 'b2'), headersFor(id, now, jwt)))).toBe('ERR_BODY_MISMATCH');
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const forged = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect(await codeOf(verifier.verify(body, headersFor(id, now, forged)))).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('a JWT signed by a key outside the JWKS (same kid) → ERR_SIGNATURE_MISMATCH', async () => {
    const impostor = await rsaKey('rsa-1');
    expect(await codeOf(verifier.verify(body, headersFor(id, now, await token({}, impostor))))).toBe(
      'ERR_SIGNATURE_MISMATCH',
    );
  });

  it('disallowed algorithms and malformed tokens → ERR_JWT_INVALID', async () => {
    const edJwt = await token({ alg: 'EdDSA' }, ed);
    expect(await codeOf(verifier.verify(body, headersFor(id, now, edJwt)))).toBe('ERR_JWT_INVALID');
    const noneJwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`;
    expect(await codeOf(verifier.verify(body, headersFor(id, now, noneJwt)))).toBe('ERR_JWT_INVALID');
    expect(await codeOf(verifier.verify(body, headersFor(id, now, 'abc.def.ghi')))).toBe('ERR_JWT_INVALID');
  });

  it('EdDSA JWTs verify when allowed', async () => {
    const allowEd = new WebhookVerifier({
      jwks,
      jwt: { audience, algorithms: ['RS256', 'EdDSA'] },
      now: frozenAt(now),
    });
    const delivery = await allowEd.verifyDelivery(body, headersFor(id, now, await token({ alg: 'EdDSA' }, ed)));
    expect(delivery.kid).toBe('ed-1');
  });

  it('no kid: used when the set has exactly one key of the type, else ERR_JWT_INVALID', async () => {
    const single = new WebhookVerifier({
      jwks: createLocalJwks({ keys: [rsa.publicJwk] }),
      jwt: { audience },
      now: frozenAt(now),
    });
    expect(await codeOf(single.verify(body, headersFor(id, now, await token({ kid: null }))))).toBe('no error');
    expect(await codeOf(verifier.verify(body, headersFor(id, now, await token({ kid: null }))))).toBe(
      'ERR_JWT_INVALID',
    );
  });

  it('webhook-timestamp is still checked in JWT mode (replay window)', async () => {
    expect(await codeOf(verifier.verify(body, headersFor(id, now - 301, await token())))).toBe('ERR_TIMESTAMP_TOO_OLD');
  });

  it('a JWT without jwt options → ERR_NO_SUPPORTED_SIGNATURE', async () => {
    const v1aOnly = new WebhookVerifier({ jwks, now: frozenAt(now) });
    expect(await codeOf(v1aOnly.verify(body, headersFor(id, now, await token())))).toBe('ERR_NO_SUPPORTED_SIGNATURE');
  });
});
