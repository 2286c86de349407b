import { describe, expect, it } from 'vitest';
import { createRequestQuota } from './request-quota.js';

describe('createRequestQuota', () => {
  it('lets rpm requests per minute through per project and model, then answers 429 with RetryInfo', () => {
    let now = 1_000_000;
    const quota = createRequestQuota({ rpm: 2, now: () => now });
    quota.take('p1', 'm');
    quota.take('p1', 'm');
    quota.take('p2', 'm'); // another project
    quota.take('p1', 'other'); // another model
    now += 20_500;
    let err: unknown;
    try {
      quota.take('p1', 'm');
    } catch (e) {
      err = e;
    }
    const e = err as { httpCode: number; retryAfterSeconds: number; toBody(): { error: Record<string, unknown> } };
    expect(e.httpCode).toBe(429);
    expect(e.retryAfterSeconds).toBe(40); // 39.5 s left in the window, rounded up
    expect(e.toBody().error).toMatchObject({
      status: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/quota of 2 requests per minute for m .*retry in 40s/),
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaDimensions: { model: 'm' }, quotaValue: '2' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '40s' },
      ],
    });
    now += 39_500; // a new window
    quota.take('p1', 'm');
  });

  it('has no quota with rpm 0', () => {
    const quota = createRequestQuota({ rpm: 0, now: () => 0 });
    for (let i = 0; i < 100; i++) quota.take('p', 'm');
  });
});
