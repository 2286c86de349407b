import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningSecret } from '../../keys/signing-secret.js';
import { signV1 } from './sign-v1.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('signV1', () => {
  // Official vectors: standard-webhooks repo tests (github.com/standard-webhooks/standard-webhooks).
  it('SW-1: official vector (all reference libraries)', () => {
    expect(
      signV1({
        msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
        secrets: [SECRET],
      }),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('SW-2: official vector (Rust library)', () => {
    expect(
      signV1({
        msgId: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
        timestamp: 1649367553,
        body: '{"email":"test@example.com","username":"test_user"}',
        secrets: ['whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'],
      }),
    ).toBe('v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=');
  });

  // Derived vectors: computed independently, not from upstream.
  it('D-1 (derived): the spec example envelope, minified', () => {
    const body =
      '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';
    expect(signV1({ msgId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: 1674087231, body, secrets: [SECRET] })).toBe(
      'v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=',
    );
  });

  it('D-2 (derived): empty body', () => {
    expect(signV1({ msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '', secrets: [SECRET] })).toBe(
      'v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=',
    );
  });

  it('D-3 (derived): non-ASCII UTF-8 body, as string and as bytes', () => {
    const expected = 'v1,vT3tN68XcRInbQKUomiMDHFgj+JsG9OroWEdDcWGJ5M=';
    const input = { msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, secrets: [SECRET] };
    expect(signV1({ ...input, body: '{"name":"Zoë ✓"}' })).toBe(expected);
    expect(signV1({ ...input, body: new TextEncoder().encode('{"name":"Zoë ✓"}') })).toBe(expected);
  });

  it('signs with every secret, in the order given, space-separated', () => {
    const newer = newSigningSecret();
    const input = { msgId: 'msg_1', timestamp: 1614265330, body: '{}' };
    const header = signV1({ ...input, secrets: [newer, SECRET] });
    expect(header.split(' ')).toEqual([
      signV1({ ...input, secrets: [newer] }),
      signV1({ ...input, secrets: [SECRET] }),
    ]);
  });

  it('is accepted by the standardwebhooks library for each secret (rotation)', () => {
    const current = newSigningSecret();
    const previous = newSigningSecret();
    const msgId = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"type":"batch.succeeded","version":"v1","data":{"id":"batches/abc"}}';
    const headers = {
      'webhook-id': msgId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signV1({ msgId, timestamp, body, secrets: [current, previous] }),
    };
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('rejects missing secrets, bad secrets, dotted ids and non-integer timestamps', () => {
    const ok = { msgId: 'msg_1', timestamp: 1, body: '', secrets: [SECRET] };
    expect(() => signV1({ ...ok, secrets: [] })).toThrow(/at least one/);
    expect(() => signV1({ ...ok, secrets: ['whsec_'] })).toThrow(/base64/);
    expect(() => signV1({ ...ok, msgId: 'msg.1' })).toThrow(/must not contain/);
    expect(() => signV1({ ...ok, timestamp: 1.5 })).toThrow(/integer Unix seconds/);
    expect(() => signV1({ ...ok, timestamp: -1 })).toThrow(/integer Unix seconds/);
  });
});
