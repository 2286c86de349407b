import { describe, expect, it } from 'vitest';
import { AdaptiveTimeouts, withAdaptiveTimeout } from './adaptive-timeout.js';
import type { AttemptResult } from './send-attempt.js';

const ok = (durationMs: number): AttemptResult => ({ statusCode: 200, durationMs, responseExcerpt: '' });
const URL_A = 'https://a.example/hooks';

describe('AdaptiveTimeouts', () => {
  it('keeps the configured timeout until it has seen 20 answers, then waits 10× the p95, at least minMs', () => {
    const t = new AdaptiveTimeouts({ maxMs: 15_000, minMs: 2_000 });
    for (let i = 0; i < 19; i++) t.observe(URL_A, ok(50));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 15_000 });
    t.observe(URL_A, ok(50));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 2_000, p95Ms: 50 });
    for (let i = 0; i < 100; i++) t.observe(URL_A, ok(i < 90 ? 100 : 900));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 9_000, p95Ms: 900 });
    for (let i = 0; i < 100; i++) t.observe(URL_A, ok(3_000));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 15_000 });
    expect(t.timeoutFor('https://b.example/')).toEqual({ timeoutMs: 15_000 });
  });

  it('follows an endpoint that slows down within 10 answers (the p95 is refreshed every 10, not every attempt)', () => {
    const t = new AdaptiveTimeouts({ maxMs: 60_000, minMs: 100 });
    for (let i = 0; i < 100; i++) t.observe(URL_A, ok(100));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 1_000, p95Ms: 100 });
    for (let i = 0; i < 9; i++) t.observe(URL_A, ok(2_000));
    expect(t.timeoutFor(URL_A).timeoutMs).toBe(1_000); // 9 new answers: the cached p95 still holds
    t.observe(URL_A, ok(2_000));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 20_000, p95Ms: 2_000 }); // 10 of the last 100 at 2 s
  });

  it('learns only from answers: timeouts and connection errors do not shorten it further', () => {
    const t = new AdaptiveTimeouts({ maxMs: 15_000, minMs: 2_000 });
    for (let i = 0; i < 20; i++) t.observe(URL_A, { errorCode: 'ETIMEDOUT', durationMs: 10, responseExcerpt: '' });
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 15_000 });
  });
});

describe('withAdaptiveTimeout', () => {
  it('cuts a hung attempt short, says why in the attempt, and gives that delivery the full timeout next time', async () => {
    const t = new AdaptiveTimeouts({ maxMs: 15_000, minMs: 2_000 });
    for (let i = 0; i < 20; i++) t.observe(URL_A, ok(40));
    const seen: number[] = [];
    type Req = { url: string; headers: object; body: string; timeoutMs: number; deliveryId: string; attempt: number };
    const send = withAdaptiveTimeout<Req>(async (req) => {
      seen.push(req.timeoutMs);
      return {
        errorCode: 'ETIMEDOUT',
        errorMessage: `timed out after ${req.timeoutMs} ms`,
        durationMs: req.timeoutMs,
        responseExcerpt: '',
      };
    }, t);
    const req = { url: URL_A, headers: {}, body: '{}', timeoutMs: 15_000, deliveryId: 'dlv_1', attempt: 1 };
    const first = await send(req);
    expect(seen).toEqual([2_000]);
    expect(first.errorCode).toBe('ETIMEDOUT');
    expect(first.errorMessage).toBe(
      'slow endpoint: no answer within 2000 ms, 10× the 40 ms in which it answered 95% of recent requests (HERALD_ATTEMPT_TIMEOUT_MS=15000 is the most Herald waits; the next attempt of this delivery gets all of it)',
    );
    await send({ ...req, attempt: 2 });
    expect(seen).toEqual([2_000, 15_000]);
    await send({ ...req, deliveryId: 'dlv_2' });
    expect(seen).toEqual([2_000, 15_000, 2_000]);
  });

  it('passes through when disabled', async () => {
    const t = new AdaptiveTimeouts({ maxMs: 15_000, minMs: 2_000, enabled: false });
    for (let i = 0; i < 20; i++) t.observe(URL_A, ok(40));
    expect(t.timeoutFor(URL_A)).toEqual({ timeoutMs: 15_000 });
  });
});
