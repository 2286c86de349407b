import { webcrypto } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { expect } from 'vitest';
import { buildEvent } from '../../src/model/build-event.js';
import type { ReceivedRequest } from '../../src/testing/receiver.js';
import type { TestHerald } from '../../src/testing/test-herald.js';

/** A dynamic delivery: an event whose target is `webhook_config.uris`. */
export const emitDynamic = (
  h: TestHerald,
  uri: string,
  data: Record<string, unknown> = { id: 'batches/b1' },
  now: number = Date.now(),
) =>
  h.herald.store.emitEvent(
    buildEvent({
      projectId: h.herald.projectId,
      type: 'batch.succeeded',
      data,
      now,
      target: { kind: 'uris', uris: [uri] },
      timeScale: h.herald.config.timeScale,
    }),
  );

export const header = (r: ReceivedRequest, name: string) => r.headers[name] as string;
export const jwksUrl = (h: TestHerald) => new URL(`${h.url}/.well-known/jwks.json`);
export const fetchJwks = async (h: TestHerald) => (await (await fetch(jwksUrl(h))).json()) as { keys: JWK[] };

/** Verifies a v1a delivery with nothing but the published JWKS and WebCrypto; returns the kid that matched. */
export async function verifyV1aFromJwks(h: TestHerald, r: ReceivedRequest): Promise<string | undefined> {
  const signature = header(r, 'webhook-signature');
  expect(signature).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
  const signed = new TextEncoder().encode(`${header(r, 'webhook-id')}.${header(r, 'webhook-timestamp')}.${r.body}`);
  const sig = Buffer.from(signature.slice(4), 'base64');
  for (const jwk of (await fetchJwks(h)).keys.filter((k) => k.kty === 'OKP')) {
    const key = (await importJWK(jwk, 'EdDSA')) as webcrypto.CryptoKey;
    if (await webcrypto.subtle.verify('Ed25519', key, sig, signed)) return jwk.kid;
  }
  return undefined;
}

export async function setMode(h: TestHerald, mode: 'v1a' | 'jwt') {
  const res = await h.api<{ dynamic_signing: string }>('PATCH', '/v1beta/project', { dynamic_signing: mode });
  expect(res.status).toBe(200);
  expect(res.body.dynamic_signing).toBe(mode);
}
