import { describe, expect, it } from 'vitest';
import { deliveryAgentOptions } from './delivery-agent-options.js';

describe('deliveryAgentOptions', () => {
  it("keeps undici's headers and body timeouts past the attempt time-out, however long it is", () => {
    for (const attemptTimeoutMs of [100, 15_000, 60_000, 120_000]) {
      const o = deliveryAgentOptions({ allowPrivateNetworks: false, connectTimeoutMs: 5000, attemptTimeoutMs });
      expect(o.socketTimeoutMs).toBeGreaterThan(attemptTimeoutMs);
      expect(o).toMatchObject({ allowPrivate: false, connectTimeoutMs: 5000 });
    }
  });
});
