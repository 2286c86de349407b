import { generateKeyPairSync, verify } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import type { KeyRing } from './key-ring.js';
import { SigningError } from './signing-error.js';
import type { ClaimedDelivery } from '../../model/records.js';
import type { DynamicSigningMode } from '../../model/signing-records.js';
import type { ProjectRepo } from '../../ports/project-repo.js';
import type { AttemptSigner } from './attempt-signer.js';
import { createDeliverySigner } from './delivery-signer.js';
import { createDynamicSigner } from './dynamic-signer.js';

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ring: KeyRing = {
  active: async (alg) =>
    alg === 'EdDSA' ? { kid: 'ed-kid', privateKey: ed.privateKey } : { kid: 'rsa-kid', privateKey: rsa.privateKey },
};
const storeWith = (mode: DynamicSigningMode | undefined, dynamicAudience?: string) =>
  ({
    getProjectSettings: async () =>
      mode ? { dynamicSigning: mode, ...(dynamicAudience ? { dynamicAudience } : {}) } : undefined,
  }) as unknown as ProjectRepo;

const body = '{"type":"batch.succeeded","version":"v1","timestamp":"2026-11-26T00:00:00.000Z","data":{"id":"b1"}}';
const delivery = (over: Partial<ClaimedDelivery> = {}) =>
  ({
    id: 'dlv_1',
    projectId: 'p1',
    messageId: 'msg_1',
    destType: 'dynamic',
    webhookId: null,
    uri: 'https://rx.example/hook',
    body,
    ...over,
  }) as ClaimedDelivery;

describe('createDynamicSigner', () => {
  it('signs v1a in v1a mode over id.timestamp.body with the active Ed25519 key', async () => {
    const signer = createDynamicSigner({ store: storeWith('v1a'), keyRing: ring, issuer: 'https://h.example' });
    const h = await signer.sign(delivery(), 1_800_000_000);
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-timestamp']).toBe('1800000000');
    const sig = Buffer.from(h['webhook-signature']!.replace(/^v1a,/, ''), 'base64');
    expect(verify(null, Buffer.from(`msg_1.1800000000.${body}`), ed.publicKey, sig)).toBe(true);
  });

  it('signs an RS256 JWT in jwt mode: aud = URI, iss = public URL, iat = timestamp, jti = webhook-id', async () => {
    const signer = createDynamicSigner({ store: storeWith('jwt'), keyRing: ring, issuer: 'https://h.example' });
    const h = await signer.sign(delivery(), 1_800_000_000);
    const token = h['webhook-signature']!;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'rsa-kid' });
    expect(decodeJwt(token)).toMatchObject({
      iss: 'https://h.example',
      aud: 'https://rx.example/hook',
      iat: 1_800_000_000,
      exp: 1_800_000_300,
      jti: 'msg_1',
      type: 'batch.succeeded',
      data: { id: 'b1' },
    });
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-timestamp']).toBe('1800000000');
  });

  it('signs a JWT when the project has no settings row, and uses the configured audience when set', async () => {
    const byDefault = createDynamicSigner({ store: storeWith(undefined), keyRing: ring, issuer: 'x' });
    expect(decodeJwt((await byDefault.sign(delivery(), 1))['webhook-signature']!)).toMatchObject({
      aud: 'https://rx.example/hook',
    });
    const pinned = createDynamicSigner({ store: storeWith('jwt', 'my-audience'), keyRing: ring, issuer: 'x' });
    expect(decodeJwt((await pinned.sign(delivery(), 1))['webhook-signature']!)).toMatchObject({ aud: 'my-audience' });
  });

  it('refuses static deliveries, and passes key-ring errors through', async () => {
    const signer = createDynamicSigner({ store: storeWith('v1a'), keyRing: ring, issuer: 'x' });
    await expect(signer.sign(delivery({ destType: 'webhook' }), 1)).rejects.toBeInstanceOf(SigningError);
    const failing: KeyRing = { active: () => Promise.reject(new SigningError('no active EdDSA signing key')) };
    const s2 = createDynamicSigner({ store: storeWith('v1a'), keyRing: failing, issuer: 'x' });
    await expect(s2.sign(delivery(), 1)).rejects.toMatchObject({ code: 'ESIGN' });
  });
});

describe('createDeliverySigner', () => {
  it('dispatches by destination type', async () => {
    const tag = (name: string): AttemptSigner => ({ sign: async () => ({ signer: name }) });
    const signer = createDeliverySigner({ webhook: tag('static'), dynamic: tag('dynamic') });
    expect(await signer.sign(delivery({ destType: 'webhook', webhookId: 'w1' }), 1)).toEqual({ signer: 'static' });
    expect(await signer.sign(delivery(), 1)).toEqual({ signer: 'dynamic' });
  });
});
