import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildJwks } from '../../keys/jwks.js';
import { signJwt } from './sign-jwt.js';
import { generateSigningKey, importPrivateKey } from '../../keys/signing-keys.js';

const key = await generateSigningKey('RS256');
const jwks = createLocalJWKSet(buildJwks([key]));
const now = Date.UTC(2026, 4, 4, 12, 0, 0);
const envelope = {
  type: 'batch.succeeded',
  version: 'v1',
  timestamp: '2026-05-04T12:00:00Z',
  data: { id: 'batches/abc', output_file_uri: 'files/batch-abc', user_metadata: { k: 'v' } },
};
const body = JSON.stringify(envelope);
const base = {
  privateKey: importPrivateKey(key.privateKeyPem),
  kid: key.kid,
  issuer: 'https://herald.example',
  audience: 'https://receiver.example/hooks',
  msgId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  body,
  envelope,
  now,
};

describe('signJwt', () => {
  it('verifies against the JWKS with issuer/audience checks and carries the expected claims', async () => {
    const token = await signJwt(base);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: key.kid });
    const { payload } = await jwtVerify(token, jwks, {
      issuer: base.issuer,
      audience: base.audience,
      algorithms: ['RS256'],
      currentDate: new Date(now + 1000),
    });
    expect(payload).toEqual({
      ...envelope,
      iss: base.issuer,
      aud: base.audience,
      iat: now / 1000,
      exp: now / 1000 + 300,
      jti: base.msgId,
      body_sha256: createHash('sha256').update(body).digest('base64url'),
    });
  });

  it('fails verification for another audience and after expiry', async () => {
    const token = await signJwt(base);
    await expect(
      jwtVerify(token, jwks, { audience: 'https://evil.example', currentDate: new Date(now) }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
    await expect(
      jwtVerify(token, jwks, { audience: base.audience, currentDate: new Date(now + 301_000) }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('hashes byte bodies the same as string bodies and floors iat to seconds', async () => {
    const token = await signJwt({ ...base, body: Buffer.from(body), now: now + 999 });
    const { payload } = await jwtVerify(token, jwks, { currentDate: new Date(now) });
    expect(payload.iat).toBe(now / 1000);
    expect(payload['body_sha256']).toBe(createHash('sha256').update(body).digest('base64url'));
  });

  it('registered claims win over envelope fields of the same name', async () => {
    const token = await signJwt({ ...base, envelope: { ...envelope, iss: 'spoof', jti: 'x', body_sha256: 'x' } });
    const { payload } = await jwtVerify(token, jwks, { currentDate: new Date(now) });
    expect(payload).toMatchObject({ iss: base.issuer, jti: base.msgId });
    expect(payload['body_sha256']).not.toBe('x');
  });
});
