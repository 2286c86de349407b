import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signV1a } from './sign-v1a.js';

// Svix key pair (the Standard Webhooks spec's asymmetric keys): whsk_ = base64(seed32 ‖ publicKey32), whpk_ = base64(publicKey32).
const WHSK = 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==';
const WHPK = 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=';

function importWhsk(whsk: string) {
  const blob = Buffer.from(whsk.slice('whsk_'.length), 'base64');
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: blob.subarray(0, 32).toString('base64url'),
      x: blob.subarray(32).toString('base64url'),
    },
  });
}
const privateKey = importWhsk(WHSK);
const publicKey = createPublicKey({
  format: 'jwk',
  key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(WHPK.slice('whpk_'.length), 'base64').toString('base64url') },
});

describe('signV1a', () => {
  it('SW-3: official v1a vector (svix-server worker.rs test_asymmetric_key_signing)', () => {
    expect(
      signV1a({
        msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
        privateKey,
      }),
    ).toBe('v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==');
  });

  it('D-5 (derived, not upstream): the spec example envelope', () => {
    const body =
      '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';
    expect(
      signV1a({ msgId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: 1674087231, body: Buffer.from(body), privateKey }),
    ).toBe('v1a,LvaM/XV2eiveYbh3nDJB9CFU6SgUQsSFO7Nz5u3M+PUesso2vWw2zj6zoee2ijOae0RluTX9xaoEs9uSSJ/uDg==');
  });

  it('verifies with the public key (whpk_) over the signed content', () => {
    const header = signV1a({ msgId: 'msg_x', timestamp: 1700000000, body: '{"a":1}', privateKey });
    const signature = Buffer.from(header.slice('v1a,'.length), 'base64');
    expect(signature).toHaveLength(64);
    expect(verify(null, Buffer.from('msg_x.1700000000.{"a":1}'), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from('msg_x.1700000001.{"a":1}'), publicKey, signature)).toBe(false);
  });

  it('rejects keys that are not Ed25519 private keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const input = { msgId: 'msg_x', timestamp: 1, body: '' };
    expect(() => signV1a({ ...input, privateKey: rsa })).toThrow(/expected an Ed25519 private key, got private rsa/);
    expect(() => signV1a({ ...input, privateKey: publicKey })).toThrow(/Ed25519 private key/);
  });
});
