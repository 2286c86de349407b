/**
 * The core entry point, bundled the way an edge bundler would (esbuild, platform "neutral"), runs
 * in a fresh V8 context that has only Web globals (WebCrypto, TextEncoder, atob/btoa, fetch, URL,
 * Headers, Request, Response, AbortSignal): no `process`, no `require`, no `Buffer`. `v1`
 * therefore falls back to the bundled SHA-256; `v1a` and JWT go through WebCrypto.
 */
import { createContext, runInContext } from 'node:vm';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { startJwksServer, type JwksServer } from '../src/testing/jwks-server.js';
import { ed25519Key, mintJwt, rsaKey } from '../src/testing/keys.js';
import { SW1, SW3 } from '../src/testing/vectors.js';

type Core = typeof import('@herald/webhooks');

const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

let core: Core;
let context: Record<string, unknown>;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'heraldWebhooks',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  });
  context = createContext({
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    fetch,
    URL,
    Headers,
    Request,
    Response,
    AbortSignal,
    console,
  });
  runInContext(bundle.outputFiles[0]!.text, context);
  core = context['heraldWebhooks'] as Core;
}, 30_000);

const headers = (id: string, ts: number, signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(ts),
  'webhook-signature': signature,
});

describe('core in a context without Node globals (edge runtimes)', () => {
  it('has no process, require or Buffer', () => {
    expect(runInContext('[typeof process, typeof require, typeof Buffer]', context)).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('v1: SW-1 (official) signs and verifies with the bundled SHA-256 (node:crypto unavailable)', () => {
    const wh = new core.Webhook(SW1.secret, { now: () => SW1.timestamp * 1000 });
    expect(wh.sign(SW1.id, SW1.timestamp, SW1.body)).toBe(SW1.signature);
    expect(wh.verify(SW1.body, headers(SW1.id, SW1.timestamp, SW1.signature))).toEqual({ test: 2432232314 });
    expect(() => wh.verify(SW1.body.replace('2', '3'), headers(SW1.id, SW1.timestamp, SW1.signature))).toThrow(
      expect.objectContaining({ code: 'ERR_SIGNATURE_MISMATCH' }),
    );
  });

  it('v1a: SW-3 (official) verifies with WebCrypto Ed25519', async () => {
    const verifier = new core.WebhookVerifier({ publicKeys: SW3.publicKey, now: () => SW3.timestamp * 1000 });
    const delivery = await verifier.verifyDelivery(SW3.body, headers(SW3.id, SW3.timestamp, SW3.signature));
    expect(delivery.scheme).toBe('v1a');
  });

  it('v1a with a JWKS on WebCrypto: repeat requests verify with the cached key; a wrong key still fails', async () => {
    const jwk = { ...SW3.jwk, kid: 'svix-docs', alg: 'EdDSA', use: 'sig' };
    const now = () => SW3.timestamp * 1000;
    const verifier = new core.WebhookVerifier({ jwks: { keys: [jwk] }, now });
    const h = headers(SW3.id, SW3.timestamp, SW3.signature);
    for (let i = 0; i < 3; i++) expect((await verifier.verifyDelivery(SW3.body, h)).kid).toBe('svix-docs');
    const other = await ed25519Key('other');
    const wrong = new core.WebhookVerifier({ jwks: { keys: [other.publicJwk] }, now });
    await expect(wrong.verify(SW3.body, h)).rejects.toMatchObject({ code: 'ERR_SIGNATURE_MISMATCH' });
  });

  it('JWT: RS256 against a remote JWKS fetched with the context’s fetch', async () => {
    const rsa = await rsaKey('edge-rsa');
    const server: JwksServer = await startJwksServer([rsa.publicJwk]);
    try {
      const now = Math.floor(Date.now() / 1000);
      const body = '{"type":"webhook.ping","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"w"}}';
      const audience = 'https://receiver.test/webhooks';
      const token = await mintJwt(rsa, { id: 'msg_edge', body, audience, iat: now });
      const verifier = new core.WebhookVerifier({ jwks: server.url, jwt: { audience } });
      const delivery = await verifier.verifyDelivery(body, headers('msg_edge', now, token));
      expect(delivery).toMatchObject({ scheme: 'jwt', kid: 'edge-rsa' });
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('the receiver and the Web Request/Response adapter answer inside the context', async () => {
    const wh = new core.Webhook(SW1.secret);
    const handler = core.toFetchHandler(core.createWebhookReceiver({ verifier: wh, fallback: () => undefined }));
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"type":"webhook.ping","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"w"}}';
    const response = await handler(
      new Request('http://edge.test/webhooks', {
        method: 'POST',
        body,
        headers: headers('msg_fetch', ts, wh.sign('msg_fetch', ts, body)),
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
