/**
 * Remote JWKS against a real node:http server on 127.0.0.1:0: caching, rotation, unknown-kid
 * refetch with a cooldown (counted by server hits), server down, timeouts. The clock is injected.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJwks, WebhookVerificationError, WebhookVerifier } from '@herald/webhooks';
import { startJwksServer, type JwksServer } from '../src/testing/jwks-server.js';
import { ed25519Key, mintJwt, rsaKey, signV1a, type TestKeyPair } from '../src/testing/keys.js';

const audience = 'https://receiver.test/webhooks';
const body = '{"type":"webhook.ping","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"webhooks/w1"}}';
const start = 1_700_000_000;

let clockMs = start * 1000;
const now = (): number => clockMs;
const advance = (ms: number): void => {
  clockMs += ms;
};

let server: JwksServer | undefined;
let rsaA: TestKeyPair;
let rsaB: TestKeyPair;
let edA: TestKeyPair;
let edB: TestKeyPair;

beforeAll(async () => {
  [rsaA, rsaB, edA, edB] = await Promise.all([
    rsaKey('rsa-a'),
    rsaKey('rsa-b'),
    ed25519Key('ed-a'),
    ed25519Key('ed-b'),
  ]);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  clockMs = start * 1000;
});

const seconds = (): number => Math.floor(clockMs / 1000);
const jwtHeaders = async (key: TestKeyPair, id = 'msg_1') => ({
  'webhook-id': id,
  'webhook-timestamp': String(seconds()),
  'webhook-signature': await mintJwt(key, { id, body, audience, iat: seconds() }),
});
const v1aHeaders = async (key: TestKeyPair, id = 'msg_1') => ({
  'webhook-id': id,
  'webhook-timestamp': String(seconds()),
  'webhook-signature': await signV1a(key, id, seconds(), body),
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
}

describe('createRemoteJwks', () => {
  it('fetches once, then serves from cache until maxAge', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const jwks = createRemoteJwks(server.url, { now, maxAge: 60_000 });
    const verifier = new WebhookVerifier({ jwks, jwt: { audience }, now });
    for (let i = 0; i < 5; i++) await verifier.verify(body, await jwtHeaders(rsaA, `msg_${i}`));
    expect(server.hits).toBe(1);
    advance(60_000);
    await verifier.verify(body, await jwtHeaders(rsaA));
    expect(server.hits).toBe(2);
  });

  it('picks up a rotated key (new kid) by refetching on the unknown kid', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const verifier = new WebhookVerifier({ jwks: createRemoteJwks(server.url, { now }), jwt: { audience }, now });
    await verifier.verify(body, await jwtHeaders(rsaA));
    advance(31_000);
    server.setKeys([rsaA.publicJwk, rsaB.publicJwk]);
    const delivery = await verifier.verifyDelivery(body, await jwtHeaders(rsaB));
    expect(delivery.kid).toBe('rsa-b');
    expect(server.hits).toBe(2);
  });

  it('rate-limits refetches for unknown kids to one per cooldown', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const verifier = new WebhookVerifier({
      jwks: createRemoteJwks(server.url, { now, cooldown: 30_000 }),
      jwt: { audience },
      now,
    });
    await verifier.verify(body, await jwtHeaders(rsaA));
    expect(server.hits).toBe(1);
    // A stream of forged tokens with an unknown kid within the cooldown: no refetch at all.
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaB)))).toBe('ERR_JWKS_NO_MATCHING_KEY');
      advance(1_000);
    }
    expect(server.hits).toBe(1);
    advance(20_000); // 30 s since the last fetch
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaB)))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(server.hits).toBe(2);
    for (let i = 0; i < 10; i++) await codeOf(verifier.verify(body, await jwtHeaders(rsaB)));
    expect(server.hits).toBe(2);
  });

  it('v1a: a signature by a newly published Ed25519 key triggers one refetch, then verifies', async () => {
    server = await startJwksServer([edA.publicJwk]);
    const verifier = new WebhookVerifier({ jwks: createRemoteJwks(server.url, { now }), now });
    expect((await verifier.verifyDelivery(body, await v1aHeaders(edA))).kid).toBe('ed-a');
    advance(31_000);
    server.setKeys([edA.publicJwk, edB.publicJwk]);
    expect((await verifier.verifyDelivery(body, await v1aHeaders(edB))).kid).toBe('ed-b');
    expect(server.hits).toBe(2);
  });

  it('shares one request between concurrent first uses', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const verifier = new WebhookVerifier({ jwks: createRemoteJwks(server.url, { now }), jwt: { audience }, now });
    const headers = await Promise.all(Array.from({ length: 8 }, (_, i) => jwtHeaders(rsaA, `msg_${i}`)));
    await Promise.all(headers.map((h) => verifier.verify(body, h)));
    expect(server.hits).toBe(1);
  });

  it('server down with no cached keys → ERR_JWKS_UNAVAILABLE, and retries only after the cooldown', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const url = server.url;
    await server.close();
    server = undefined;
    const verifier = new WebhookVerifier({ jwks: createRemoteJwks(url, { now }), jwt: { audience }, now });
    const error = await verifier.verify(body, await jwtHeaders(rsaA)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
    expect((error as Error).message).toContain(url);
    expect((error as Error).cause).toBeDefined();

    // The server comes back on the same port: within the cooldown it is not asked again.
    server = await startJwksServer([rsaA.publicJwk], Number(new URL(url).port));
    advance(29_000);
    const cooling = await verifier.verify(body, await jwtHeaders(rsaA)).catch((e: unknown) => e);
    expect(cooling).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
    expect((cooling as Error).message).toContain('retrying after the cooldown');
    expect(server.hits).toBe(0);
    advance(1_000); // 30 s after the failed attempt
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaA)))).toBe('no error');
    expect(server.hits).toBe(1);
  });

  it('HTTP 500 and invalid documents → ERR_JWKS_UNAVAILABLE; cooldown applies after a failure', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    server.setMode('error');
    const verifier = new WebhookVerifier({ jwks: createRemoteJwks(server.url, { now }), jwt: { audience }, now });
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaA)))).toBe('ERR_JWKS_UNAVAILABLE');
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaA)))).toBe('ERR_JWKS_UNAVAILABLE');
    expect(server.hits).toBe(1);
    server.setMode('ok');
    advance(30_000);
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaA)))).toBe('no error');
    expect(server.hits).toBe(2);
  });

  it('keeps using cached keys when a refresh fails (stale-if-error)', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    const verifier = new WebhookVerifier({
      jwks: createRemoteJwks(server.url, { now, maxAge: 60_000 }),
      jwt: { audience },
      now,
    });
    await verifier.verify(body, await jwtHeaders(rsaA));
    server.setMode('error');
    advance(61_000);
    expect(await codeOf(verifier.verify(body, await jwtHeaders(rsaA)))).toBe('no error');
    expect(server.hits).toBe(2);
  });

  it('a server that never answers is bounded by the timeout', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    server.setMode('hang');
    const verifier = new WebhookVerifier({
      jwks: createRemoteJwks(server.url, { now, timeout: 50 }),
      jwt: { audience },
      now,
    });
    const error = await verifier.verify(body, await jwtHeaders(rsaA)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
  });

  it('a document over maxBytes is refused as soon as the limit is passed, even if it never ends', async () => {
    server = await startJwksServer([rsaA.publicJwk]);
    server.setMode('endless');
    const verifier = new WebhookVerifier({
      jwks: createRemoteJwks(server.url, { now, maxBytes: 100_000, timeout: 10_000 }),
      jwt: { audience },
      now,
    });
    const started = performance.now();
    const error = await verifier.verify(body, await jwtHeaders(rsaA)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_JWKS_UNAVAILABLE',
      message: 'JWKS unavailable: document over 100000 bytes',
    });
    expect(performance.now() - started).toBeLessThan(5_000); // not the 10 s timeout
  });

  it('maxBytes counts UTF-8 bytes of the document, declared or not', async () => {
    server = await startJwksServer([{ ...rsaA.publicJwk, kid: 'é'.repeat(300) }]);
    const size = Buffer.byteLength(JSON.stringify({ keys: [{ ...rsaA.publicJwk, kid: 'é'.repeat(300) }] }));
    const tooSmall = createRemoteJwks(server.url, { now, maxBytes: size - 1 });
    expect(await codeOf(tooSmall.getKeys())).toBe('ERR_JWKS_UNAVAILABLE');
    const enough = createRemoteJwks(server.url, { now, maxBytes: size });
    expect(await enough.getKeys()).toHaveLength(1);
  });

  it('a JWKS URL string in WebhookVerifier options creates a remote set', async () => {
    server = await startJwksServer([edA.publicJwk]);
    const verifier = new WebhookVerifier({ jwks: server.url, now });
    expect((await verifier.verifyDelivery(body, await v1aHeaders(edA))).scheme).toBe('v1a');
  });
});
