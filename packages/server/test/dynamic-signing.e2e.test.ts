import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { WebhookVerifier } from '@herald/webhooks';
import { createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';
import { startGuideJwtReceiver, type GuideJwtReceiver } from './support/guide-jwt-receiver.js';
import { emitDynamic, fetchJwks, header, jwksUrl, setMode, verifyV1aFromJwks } from './support/dynamic-signing.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('dynamic signing');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

const ISSUER = 'https://herald.example.test';
let herald: TestHerald | undefined;
const receivers: (Receiver | GuideJwtReceiver)[] = [];

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

describe.each(backends)('dynamic webhooks: signing and JWKS: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('publishes OKP and RSA public keys with kid, use and alg; cacheable with an ETag and 304', async () => {
    herald = await startTestHerald();
    const res = await fetch(jwksUrl(herald));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const { keys } = (await res.json()) as { keys: JWK[] };
    expect(keys).toHaveLength(2);
    const [okp, rsa] = keys;
    expect(okp).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(rsa).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    for (const k of keys) {
      expect(k.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(k).not.toHaveProperty('d');
      expect(createPublicKey({ key: k as never, format: 'jwk' }).type).toBe('public');
    }
    const again = await fetch(jwksUrl(herald), { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const noKey = await fetch(jwksUrl(herald), { headers: { 'x-goog-api-key': 'wrong' } });
    expect(noKey.status).toBe(200); // public: no API key needed or checked
  });

  it("signs an RS256 JWT by default: the guide's sample (jsonwebtoken + jwks-rsa) and @herald/webhooks verify the same delivery", async () => {
    herald = await startTestHerald({ config: { publicUrl: ISSUER } });
    const guide = await startGuideJwtReceiver({ jwksUri: jwksUrl(herald).href });
    receivers.push(guide);
    expect((await herald.api('GET', '/v1beta/project')).body).toMatchObject({ dynamic_signing: 'jwt' });
    const { event } = await emitDynamic(herald, guide.url, { id: 'batches/b0', user_metadata: { run: 'guide' } });
    const [verdict] = await guide.waitFor(1);
    expect(verdict).toMatchObject({
      ok: true,
      event: { type: 'batch.succeeded', jti: event.messageId, aud: guide.url, iss: ISSUER },
    });
    expect(verdict!.ok && verdict!.event.data).toEqual({ id: 'batches/b0', user_metadata: { run: 'guide' } });
    expect(JSON.parse(verdict!.body)).toEqual({
      type: 'batch.succeeded',
      version: 'v1',
      timestamp: expect.any(String),
      data: { id: 'batches/b0', user_metadata: { run: 'guide' } },
    });

    // The same delivery (the bytes and headers the guide's receiver got) through @herald/webhooks.
    const verifier = new WebhookVerifier({ jwks: jwksUrl(herald).href, jwt: { audience: guide.url, issuer: ISSUER } });
    const delivery = await verifier.verifyDelivery(verdict!.body, verdict!.headers);
    expect(delivery).toMatchObject({ scheme: 'jwt', id: event.messageId, event: { type: 'batch.succeeded' } });
    // …and it fails both verifiers once the audience is not the receiver's.
    await expect(
      new WebhookVerifier({ jwks: jwksUrl(herald).href, jwt: { audience: 'https://other.example/' } }).verifyDelivery(
        verdict!.body,
        verdict!.headers,
      ),
    ).rejects.toThrow();
  });

  it('pins a configured audience: the guide sample with `audience: "<configured>"` accepts, the URI default no longer does', async () => {
    herald = await startTestHerald({ config: { publicUrl: ISSUER } });
    const set = await herald.api('PATCH', '/v1beta/project', { dynamic_audience: 'projects/my-receiver' });
    expect(set.body).toMatchObject({ dynamic_signing: 'jwt', dynamic_audience: 'projects/my-receiver' });
    const pinned = await startGuideJwtReceiver({ jwksUri: jwksUrl(herald).href, audience: 'projects/my-receiver' });
    const byUri = await startGuideJwtReceiver({ jwksUri: jwksUrl(herald).href });
    receivers.push(pinned, byUri);
    await emitDynamic(herald, pinned.url);
    await emitDynamic(herald, byUri.url);
    expect((await pinned.waitFor(1))[0]).toMatchObject({ ok: true, event: { aud: 'projects/my-receiver' } });
    expect((await byUri.waitFor(1))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/audience/) });

    const cleared = await herald.api('PATCH', '/v1beta/project', { dynamic_audience: null });
    expect(cleared.body).not.toHaveProperty('dynamic_audience');
    const byUri2 = await startGuideJwtReceiver({ jwksUri: jwksUrl(herald).href });
    receivers.push(byUri2);
    await emitDynamic(herald, byUri2.url);
    expect((await byUri2.waitFor(1))[0]).toMatchObject({ ok: true, event: { aud: byUri2.url } });
  });

  it('signs v1a in v1a mode: verifies from the JWKS alone (WebCrypto) and with @herald/webhooks; standardwebhooks skips v1a', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { publicUrl: ISSUER } });
    await setMode(herald, 'v1a');
    const { event } = await emitDynamic(herald, rx.url);
    const [req] = await rx.waitFor(1);
    expect(header(req!, 'webhook-id')).toBe(event.messageId);
    expect(Math.abs(Number(header(req!, 'webhook-timestamp')) - Date.now() / 1000)).toBeLessThan(60);
    const kid = await verifyV1aFromJwks(herald, req!);
    const active = (
      await herald.api<{ signing_keys: { kid: string; alg: string; state: string }[] }>('GET', '/v1beta/signingKeys')
    ).body.signing_keys.find((k) => k.alg === 'EdDSA' && k.state === 'active');
    expect(kid).toBe(active!.kid);

    const verifier = new WebhookVerifier({ jwks: jwksUrl(herald).href });
    const delivery = await verifier.verifyDelivery(req!.body, req!.headers);
    expect(delivery).toMatchObject({ scheme: 'v1a', kid, id: event.messageId, event: { type: 'batch.succeeded' } });

    // The public Standard Webhooks library only knows v1 and skips v1a items, so it cannot verify.
    expect(() =>
      new StandardWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(req!.body, req!.headers as never),
    ).toThrow(/No matching signature/);
  });

  it('signs an RS256 JWT in JWT mode: jose createRemoteJWKSet + jwtVerify, body_sha256 binds the raw body', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { publicUrl: ISSUER } });
    await setMode(herald, 'jwt');
    const { event } = await emitDynamic(herald, rx.url, { id: 'batches/b2', user_metadata: { job: 7 } });
    const [req] = await rx.waitFor(1);
    const token = header(req!, 'webhook-signature');
    expect(token.split('.')).toHaveLength(3);

    const jwks = createRemoteJWKSet(jwksUrl(herald));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      audience: rx.url,
      issuer: ISSUER,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload.jti).toBe(header(req!, 'webhook-id'));
    expect(payload.jti).toBe(event.messageId);
    expect(payload.iat).toBe(Number(header(req!, 'webhook-timestamp')));
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.body_sha256).toBe(createHash('sha256').update(req!.body).digest('base64url'));
    expect(payload).toMatchObject({ type: 'batch.succeeded', version: 'v1', data: { user_metadata: { job: 7 } } });

    const verifier = new WebhookVerifier({ jwks: jwksUrl(herald).href, jwt: { audience: rx.url, issuer: ISSUER } });
    const delivery = await verifier.verifyDelivery(req!.body, req!.headers);
    expect(delivery).toMatchObject({ scheme: 'jwt', kid: protectedHeader.kid, id: event.messageId });
    await expect(
      jwtVerify(token, jwks, { algorithms: ['RS256'], audience: 'https://someone-else.example/hook' }),
    ).rejects.toThrow(/aud/);
  });

  it("an operation's webhook_config delivery verifies from the JWKS alone, in v1a and in JWT mode", async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { publicUrl: ISSUER } });
    const h = herald;
    await setMode(h, 'v1a');
    const cancelled = async () => {
      const op = await h.api<{ id: string; name: string }>('POST', '/v1beta/operations', {
        kind: 'etl',
        webhook_config: { uris: [rx.url], user_metadata: { run: 1 } },
      });
      expect(op.status).toBe(200);
      await h.api('POST', `/v1beta/operations/${op.body.id}:cancel`);
      return op.body.name;
    };
    const first = await cancelled();
    const [v1a] = await rx.waitFor(1);
    expect(await verifyV1aFromJwks(h, v1a!)).toEqual(expect.any(String));
    expect(JSON.parse(v1a!.body)).toMatchObject({ type: 'operation.cancelled', data: { id: first } });

    await setMode(h, 'jwt');
    const second = await cancelled();
    const [, jwt] = await rx.waitFor(2);
    const { payload } = await jwtVerify(header(jwt!, 'webhook-signature'), createRemoteJWKSet(jwksUrl(h)), {
      algorithms: ['RS256'],
      audience: rx.url,
      issuer: ISSUER,
    });
    expect(payload.body_sha256).toBe(createHash('sha256').update(jwt!.body).digest('base64url'));
    expect(payload).toMatchObject({ type: 'operation.cancelled', data: { id: second, user_metadata: { run: 1 } } });
  });

  it('after a rotation, deliveries signed before and after still verify in both modes; a retry signs with the new key', async () => {
    const clock = new ManualClock();
    let failFirst = true;
    const rx = await receiver(() => {
      if (failFirst) {
        failFirst = false;
        return { status: 500 };
      }
      return { status: 200 };
    });
    herald = await startTestHerald({ clock, config: { publicUrl: ISSUER, timeScale: 100 } });
    const h = herald;
    const verifier = () =>
      new WebhookVerifier({ jwks: jwksUrl(h).href, jwt: { audience: rx.url, issuer: ISSUER }, now: () => clock.now() });

    // v1a with key A: the first attempt fails (500) and is retried after the rotation.
    await setMode(h, 'v1a');
    await emitDynamic(h, rx.url, undefined, clock.now());
    const [oldV1a] = await rx.waitFor(1);
    await h.waitForAttempts(1);
    await setMode(h, 'jwt');
    await emitDynamic(h, rx.url, undefined, clock.now()); // JWT with RSA key R1
    const [, oldJwt] = await rx.waitFor(2);
    await h.waitForAttempts(2);

    const rotated = await h.api<{ signing_keys: { kid: string; alg: string; state: string; expire_time?: string }[] }>(
      'POST',
      '/v1beta/signingKeys:rotate',
      {},
      { 'x-goog-api-key': h.adminKey },
    );
    expect(rotated.status).toBe(200);
    const keys = rotated.body.signing_keys;
    expect(keys.map((k) => `${k.alg}:${k.state}`)).toEqual([
      'EdDSA:active',
      'RS256:active',
      'EdDSA:retired',
      'RS256:retired',
    ]);
    expect(Date.parse(keys[2]!.expire_time!) - clock.now()).toBe(10 * 60_000);
    const [newEd, newRsa, oldEd, oldRsa] = keys.map((k) => k.kid);

    await emitDynamic(h, rx.url, undefined, clock.now()); // JWT with R2
    const [, , newJwt] = await rx.waitFor(3);
    await h.waitForAttempts(3);
    await setMode(h, 'v1a');
    clock.advance(5_000 / 100); // the retry of the first delivery: signed afresh, with the new key
    const [, , , retried] = await rx.waitFor(4);
    expect(header(retried!, 'webhook-id')).toBe(header(oldV1a!, 'webhook-id'));

    expect((await verifier().verifyDelivery(oldV1a!.body, oldV1a!.headers as never)).kid).toBe(oldEd);
    expect((await verifier().verifyDelivery(retried!.body, retried!.headers as never)).kid).toBe(newEd);
    expect(await verifyV1aFromJwks(h, oldV1a!)).toBe(oldEd);
    expect(await verifyV1aFromJwks(h, retried!)).toBe(newEd);
    const jwks = createRemoteJWKSet(jwksUrl(h));
    const opts = { algorithms: ['RS256'], audience: rx.url, issuer: ISSUER, currentDate: new Date(clock.now()) };
    const oldToken = await jwtVerify(header(oldJwt!, 'webhook-signature'), jwks, opts);
    const newToken = await jwtVerify(header(newJwt!, 'webhook-signature'), jwks, opts);
    expect([oldToken.protectedHeader.kid, newToken.protectedHeader.kid]).toEqual([oldRsa, newRsa]);
  });

  it('keeps a retired key in the JWKS for 10 minutes (real time, not time-scaled), then drops it', async () => {
    const clock = new ManualClock();
    herald = await startTestHerald({ clock, config: { timeScale: 1000 } });
    const before = (await fetchJwks(herald)).keys.map((k) => k.kid);
    const res = await herald.api(
      'POST',
      '/v1beta/signingKeys:rotate',
      { alg: 'EdDSA' },
      { 'x-goog-api-key': herald.adminKey },
    );
    expect(res.status).toBe(200);
    const during = (await fetchJwks(herald)).keys.map((k) => k.kid);
    expect(during).toHaveLength(3);
    expect(during).toEqual(expect.arrayContaining(before));
    clock.advance(10 * 60_000 - 1);
    expect((await fetchJwks(herald)).keys).toHaveLength(3);
    clock.advance(1);
    const after = (await fetchJwks(herald)).keys;
    expect(after).toHaveLength(2);
    expect(after.map((k) => k.kid)).toEqual([during[0], before[1]]);
  });

  it('rotation validates its input and caps the retired keys still published', async () => {
    herald = await startTestHerald();
    const bad = await herald.api<{ error: { message: string } }>(
      'POST',
      '/v1beta/signingKeys:rotate',
      { alg: 'HS256' },
      { 'x-goog-api-key': herald.adminKey },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/alg/);
    const extra = await herald.api(
      'POST',
      '/v1beta/signingKeys:rotate',
      { alg: 'EdDSA', force: true },
      { 'x-goog-api-key': herald.adminKey },
    );
    expect(extra.status).toBe(400);
    for (let i = 0; i < 4; i++) {
      expect(
        (
          await herald.api(
            'POST',
            '/v1beta/signingKeys:rotate',
            { alg: 'EdDSA' },
            { 'x-goog-api-key': herald.adminKey },
          )
        ).status,
      ).toBe(200);
    }
    const capped = await herald.api<{ error: { status: string; message: string } }>(
      'POST',
      '/v1beta/signingKeys:rotate',
      { alg: 'EdDSA' },
      { 'x-goog-api-key': herald.adminKey },
    );
    expect(capped.status).toBe(400);
    expect(capped.body.error.status).toBe('FAILED_PRECONDITION');
    expect(capped.body.error.message).toMatch(
      /4 retired EdDSA keys are still published.*rotate EdDSA again after \d{4}-/,
    );
    const noAuth = await fetch(`${herald.url}/v1beta/signingKeys:rotate`, { method: 'POST' });
    expect(noAuth.status).toBe(403);
  });

  it('reads and sets the project signing mode, with clear errors', async () => {
    herald = await startTestHerald();
    const got = await herald.api('GET', '/v1beta/project');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: 'default', dynamic_signing: 'jwt' });
    const bad = await herald.api<{ error: { message: string } }>('PATCH', '/v1beta/project', {
      dynamic_signing: 'hmac',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/dynamic_signing/);
    expect((await herald.api('PATCH', '/v1beta/project', { name: 'x' })).status).toBe(400);
    await setMode(herald, 'v1a');
    expect((await herald.api('GET', '/v1/project')).body).toMatchObject({ dynamic_signing: 'v1a' });
    const long = await herald.api('PATCH', '/v1beta/project', { dynamic_audience: 'x'.repeat(2049) });
    expect(long.status).toBe(400);
  });

  it('keeps its keys across restarts of the same data directory', async () => {
    herald = await startTestHerald();
    const dataDir = herald.dataDir;
    const first = await fetchJwks(herald);
    await herald.herald.close();
    const second = await startTestHerald({ dataDir });
    try {
      expect(await fetchJwks(second)).toEqual(first);
    } finally {
      await second.close();
    }
  });
});

describe.each(backends)('verifying v1a with node:crypto only: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('works with createPublicKey on the JWK', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    await setMode(herald, 'v1a');
    await emitDynamic(herald, rx.url);
    const [req] = await rx.waitFor(1);
    const okp = (await fetchJwks(herald)).keys.find((k) => k.kty === 'OKP')!;
    const ok = verifySignature(
      null,
      Buffer.from(`${header(req!, 'webhook-id')}.${header(req!, 'webhook-timestamp')}.${req!.body}`),
      createPublicKey({ key: okp as never, format: 'jwk' }),
      Buffer.from(header(req!, 'webhook-signature').slice(4), 'base64'),
    );
    expect(ok).toBe(true);
  });
});
