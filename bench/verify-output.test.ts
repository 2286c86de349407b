import { describe, expect, it } from 'vitest';
import { parseVerifyOutput } from './scenarios/verify.js';

const sample = `@herald/webhooks verification benchmark — node v20.20.2, quick run

v1 (HMAC-SHA256) verify, higher is better
  standardwebhooks@1.1.1 verify (sync)              61,707 ops/s    16.21 µs/op    1.00×
  @herald/webhooks Webhook.verify (node:crypto)     247,947 ops/s     4.03 µs/op    4.02×

v1a (Ed25519) verify vs bare node:crypto, higher is better
  bare node:crypto Ed25519 verify                   10,263 ops/s    97.44 µs/op    1.00×
  v1a whpk_ key                                      9,400 ops/s   106.39 µs/op    0.92×
  v1a local JWKS, 4 keys (match is last)             8,822 ops/s   113.36 µs/op    0.86×

v1 target ≥ 3× standardwebhooks: 4.02× → met
v1a target ≥ 0.8× bare node:crypto (slowest v1a row): 0.86× → met
`;

describe('parseVerifyOutput', () => {
  it('reads the rows, their sections and both targets', () => {
    const parsed = parseVerifyOutput(sample);
    expect(parsed.v1Ratio).toBe(4.02);
    expect(parsed.v1aRatio).toBe(0.86);
    expect(parsed.rows).toHaveLength(5);
    expect(parsed.rows[2]).toEqual({
      section: 'v1a (Ed25519) verify vs bare node:crypto, higher is better',
      name: 'bare node:crypto Ed25519 verify',
      opsPerSec: 10_263,
      usPerOp: 97.44,
      ratio: 1,
    });
  });

  it('reports no v1a target when the benchmark printed none', () => {
    expect(parseVerifyOutput(sample.replace(/^v1a target.*$/m, '')).v1aRatio).toBeUndefined();
  });
});
