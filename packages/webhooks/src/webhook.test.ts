import { describe, expect, it } from 'vitest';
import { Webhook } from './webhook.js';
import { WebhookVerificationError, type WebhookErrorCode } from './errors.js';
import { D4, DERIVED_V1, frozenAt, SW1, SW2, SW3 } from './testing/vectors.js';
import { createHmacSha256 } from './internal/sha256.js';
import { decodeBase64, encodeBase64 } from './internal/base64.js';

const headersFor = (v: { id: string; timestamp: number }, signature: string): Record<string, string> => ({
  'webhook-id': v.id,
  'webhook-timestamp': String(v.timestamp),
  'webhook-signature': signature,
});

function codeOf(fn: () => unknown): WebhookErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('Webhook: official and derived vectors', () => {
  for (const hmac of ['node', 'pure'] as const) {
    describe(`hmac=${hmac}`, () => {
      for (const [name, v] of [
        ['SW-1 (official)', SW1] as const,
        ['SW-2 (official)', SW2] as const,
        ...DERIVED_V1.map((d) => [d.name, d] as const),
      ]) {
        it(`${name}: sign() reproduces the signature and verify() accepts it`, () => {
          const wh = new Webhook(v.secret, { hmac, now: frozenAt(v.timestamp) });
          expect(wh.sign(v.id, new Date(v.timestamp * 1000), v.body)).toBe(v.signature);
          expect(wh.sign(v.id, v.timestamp, Buffer.from(v.body))).toBe(v.signature);
          const expected = v.body === '' ? undefined : JSON.parse(v.body);
          expect(wh.verify(v.body, headersFor(v, v.signature))).toEqual(expected);
          expect(wh.verify(new TextEncoder().encode(v.body), headersFor(v, v.signature))).toEqual(expected);
        });
      }
    });
  }

  it('D-4 (derived): an unpadded secret decodes (23 bytes) and signs as documented, but the constructor rejects it as below the 24-byte minimum', () => {
    const key = decodeBase64(D4.secret)!;
    expect(key.length).toBe(23);
    const mac = createHmacSha256(key)([new TextEncoder().encode(`${D4.id}.${D4.timestamp}.${D4.body}`)]);
    expect(`v1,${encodeBase64(mac)}`).toBe(D4.signature);
    expect(codeOf(() => new Webhook(D4.secret))).toBe('ERR_INVALID_SECRET');
  });

  it('SW-3 (official, v1a): a v1-only Webhook reports no supported signature', () => {
    const wh = new Webhook(SW1.secret, { now: frozenAt(SW3.timestamp) });
    expect(codeOf(() => wh.verify(SW3.body, headersFor(SW3, SW3.signature)))).toBe('ERR_NO_SUPPORTED_SIGNATURE');
  });
});

describe('Webhook: negative and structural cases', () => {
  const now = 1_700_000_000;
  const wh = new Webhook(SW1.secret, { now: frozenAt(now) });
  const v = { id: SW1.id, timestamp: now };
  const valid = wh.sign(v.id, now, SW1.body);
  const verify =
    (headers: Record<string, string>, body: string = SW1.body) =>
    () =>
      wh.verify(body, headers);

  it('accepts the valid delivery', () => {
    expect(wh.verify(SW1.body, headersFor(v, valid))).toEqual({ test: 2432232314 });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing %s → ERR_MISSING_HEADERS', (name) => {
    const headers = Object.fromEntries(Object.entries(headersFor(v, valid)).filter(([key]) => key !== name));
    expect(codeOf(verify(headers))).toBe('ERR_MISSING_HEADERS');
    const error = (() => {
      try {
        verify(headers)();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe('Missing required headers');
    expect(error?.name).toBe('WebhookVerificationError');
  });

  it('empty header value → ERR_MISSING_HEADERS', () => {
    expect(codeOf(verify({ ...headersFor(v, valid), 'webhook-id': '' }))).toBe('ERR_MISSING_HEADERS');
  });

  it.each(['hello', '1614265330abc', '-5', '1.5', ''.padEnd(16, '1')])(
    'invalid timestamp %j → ERR_INVALID_HEADERS',
    (ts) => {
      expect(codeOf(verify({ ...headersFor(v, valid), 'webhook-timestamp': ts }))).toBe('ERR_INVALID_HEADERS');
    },
  );

  it('old timestamp (now − 301 s) → ERR_TIMESTAMP_TOO_OLD; now − 300 s is accepted', () => {
    const old = { id: v.id, timestamp: now - 301 };
    expect(codeOf(verify(headersFor(old, wh.sign(v.id, old.timestamp, SW1.body))))).toBe('ERR_TIMESTAMP_TOO_OLD');
    const edge = { id: v.id, timestamp: now - 300 };
    expect(codeOf(verify(headersFor(edge, wh.sign(v.id, edge.timestamp, SW1.body))))).toBe('no error');
  });

  it('future timestamp (now + 301 s) → ERR_TIMESTAMP_TOO_NEW; now + 300 s is accepted', () => {
    const future = { id: v.id, timestamp: now + 301 };
    expect(codeOf(verify(headersFor(future, wh.sign(v.id, future.timestamp, SW1.body))))).toBe('ERR_TIMESTAMP_TOO_NEW');
    const edge = { id: v.id, timestamp: now + 300 };
    expect(codeOf(verify(headersFor(edge, wh.sign(v.id, edge.timestamp, SW1.body))))).toBe('no error');
  });

  it('tolerance is configurable', () => {
    const strict = new Webhook(SW1.secret, { now: frozenAt(now), tolerance: 10 });
    const ts = now - 11;
    expect(
      codeOf(() => strict.verify(SW1.body, headersFor({ id: v.id, timestamp: ts }, strict.sign(v.id, ts, SW1.body)))),
    ).toBe('ERR_TIMESTAMP_TOO_OLD');
    expect(codeOf(() => new Webhook(SW1.secret, { tolerance: -1 }))).toBe('ERR_INVALID_OPTIONS');
  });

  it.each([
    ['JS/PHP bad signature', 'v1,dawfeoifkpqwoekfpqoekf'],
    ['PY last char changed', `${valid.slice(0, -2)}${valid.at(-2) === 'A' ? 'B' : 'A'}=`],
    ['partial: first 8 chars', valid.slice(0, 8)],
    ['partial: bare "v1,"', 'v1,'],
  ])('%s → ERR_SIGNATURE_MISMATCH', (_name, signature) => {
    const error = codeOf(verify(headersFor(v, signature)));
    expect(error).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('multi-signature with unknown v2 and wrong v1 entries around the valid one → valid', () => {
    const wrong = 'Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const header = `v1,${wrong} v2,${wrong} ${valid} v1,${wrong}`;
    expect(wh.verify(SW1.body, headersFor(v, header))).toEqual({ test: 2432232314 });
  });

  it('multi-signature, none valid (SW-RS, SW-2 secret) → ERR_SIGNATURE_MISMATCH', () => {
    const wh2 = new Webhook(SW2.secret, { now: frozenAt(now) });
    const header =
      'v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ= v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q= v1,9DfC1c3eeOrXB6w/5dIDydLNQaEyww5KalE5jLBZucE=';
    expect(codeOf(() => wh2.verify(SW2.body, headersFor({ id: SW2.id, timestamp: now }, header)))).toBe(
      'ERR_SIGNATURE_MISMATCH',
    );
  });

  it('more than 32 signature items → ERR_INVALID_HEADERS; a trailing comma from joined headers is tolerated', () => {
    const many = Array.from({ length: 33 }, () => 'v1,AAAA').join(' ');
    expect(codeOf(verify(headersFor(v, `${valid} ${many}`)))).toBe('ERR_INVALID_HEADERS');
    expect(wh.verify(SW1.body, headersFor(v, `${valid}, v1,AAAA`))).toEqual({ test: 2432232314 });
  });

  it('only unknown versions → ERR_NO_SUPPORTED_SIGNATURE; garbage → ERR_NO_SUPPORTED_SIGNATURE', () => {
    expect(codeOf(verify(headersFor(v, valid.replace('v1,', 'v2,'))))).toBe('ERR_NO_SUPPORTED_SIGNATURE');
    expect(codeOf(verify(headersFor(v, 'garbage')))).toBe('ERR_NO_SUPPORTED_SIGNATURE');
  });

  it('whsec_ prefix is optional', () => {
    const bare = new Webhook(SW1.secret.slice('whsec_'.length), { now: frozenAt(now) });
    expect(bare.verify(SW1.body, headersFor(v, valid))).toEqual({ test: 2432232314 });
  });

  it('unbranded webhook-* and svix-* headers both verify, in any case', () => {
    const svix = { 'svix-id': v.id, 'svix-timestamp': String(now), 'svix-signature': valid };
    expect(wh.verify(SW1.body, svix)).toEqual({ test: 2432232314 });
    const mixedCase = { 'Webhook-Id': v.id, 'WEBHOOK-TIMESTAMP': String(now), 'Webhook-Signature': valid };
    expect(wh.verify(SW1.body, mixedCase)).toEqual({ test: 2432232314 });
    expect(wh.verify(SW1.body, new Headers(mixedCase))).toEqual({ test: 2432232314 });
    const partlyLower = { 'webhook-id': v.id, 'Webhook-Timestamp': String(now), 'webhook-signature': valid };
    expect(wh.verify(SW1.body, partlyLower)).toEqual({ test: 2432232314 });
  });

  it('Node IncomingHttpHeaders with string[] values', () => {
    const other = new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).sign(v.id, now, SW1.body);
    const headers = { 'webhook-id': [v.id], 'webhook-timestamp': String(now), 'webhook-signature': [other, valid] };
    expect(wh.verify(SW1.body, headers)).toEqual({ test: 2432232314 });
    expect(codeOf(() => wh.verify(SW1.body, { ...headers, 'webhook-id': ['a', 'b'] }))).toBe('ERR_INVALID_HEADERS');
  });

  it('tampered body, id or timestamp → ERR_SIGNATURE_MISMATCH', () => {
    expect(codeOf(verify(headersFor(v, valid), SW1.body.replace('2', '3')))).toBe('ERR_SIGNATURE_MISMATCH');
    expect(codeOf(verify(headersFor({ ...v, id: 'msg_other' }, valid)))).toBe('ERR_SIGNATURE_MISMATCH');
    expect(codeOf(verify(headersFor({ ...v, timestamp: now - 1 }, valid)))).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('wrong key → ERR_SIGNATURE_MISMATCH', () => {
    const other = new Webhook(SW2.secret, { now: frozenAt(now) });
    expect(codeOf(() => other.verify(SW1.body, headersFor(v, valid)))).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it.each([[''], ['whsec_'], [undefined], [null], [new Uint8Array(0)]])(
    'empty secret %j → constructor throws',
    (secret) => {
      expect(codeOf(() => new Webhook(secret as unknown as string))).toBe('ERR_INVALID_SECRET');
    },
  );

  it('secret length: 24 and 64 bytes accepted; 23 and 65 rejected; non-base64 rejected', () => {
    for (const n of [24, 32, 64])
      expect(codeOf(() => new Webhook(Buffer.alloc(n, 1).toString('base64')))).toBe('no error');
    for (const n of [23, 65])
      expect(codeOf(() => new Webhook(Buffer.alloc(n, 1).toString('base64')))).toBe('ERR_INVALID_SECRET');
    expect(codeOf(() => new Webhook('whsec_not base64!'))).toBe('ERR_INVALID_SECRET');
  });

  it('unpadded secret with 2 missing pads (SW-PY) decodes and round-trips', () => {
    const unpadded = new Webhook('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr', { now: frozenAt(now) });
    const sig = unpadded.sign(v.id, now, SW1.body);
    expect(unpadded.verify(SW1.body, headersFor(v, sig))).toEqual({ test: 2432232314 });
  });

  it('{ format: "raw" } takes the secret as bytes, like standardwebhooks', () => {
    const raw = new Webhook('a'.repeat(32), { format: 'raw', now: frozenAt(now) });
    const sig = raw.sign(v.id, now, SW1.body);
    expect(raw.verify(SW1.body, headersFor(v, sig))).toEqual({ test: 2432232314 });
  });

  it('empty body, correctly signed → undefined; non-JSON body → ERR_PAYLOAD_INVALID', () => {
    expect(wh.verify('', headersFor(v, wh.sign(v.id, now, '')))).toBeUndefined();
    expect(codeOf(() => wh.verify('not json', headersFor(v, wh.sign(v.id, now, 'not json'))))).toBe(
      'ERR_PAYLOAD_INVALID',
    );
  });

  it('rotation: several secrets, any match is accepted, sign() emits one entry per secret', () => {
    const current = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const rotating = new Webhook([current, SW1.secret], { now: frozenAt(now) });
    expect(rotating.verify(SW1.body, headersFor(v, valid))).toEqual({ test: 2432232314 });
    const both = rotating.sign(v.id, now, SW1.body);
    expect(both.split(' ')).toHaveLength(2);
    expect(both.split(' ')[1]).toBe(valid);
    expect(wh.verify(SW1.body, headersFor(v, both))).toEqual({ test: 2432232314 });
  });

  it('verifyDelivery returns id, timestamp and scheme', () => {
    expect(wh.verifyDelivery(SW1.body, headersFor(v, valid))).toEqual({
      id: v.id,
      timestamp: now,
      scheme: 'v1',
      event: { test: 2432232314 },
    });
  });
});
