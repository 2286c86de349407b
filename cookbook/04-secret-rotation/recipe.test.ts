import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('rotates a secret without rejecting a delivery', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. receiver on old secret: verified invoice.ready (signatures: 1)',
    '2. rotated; old-secret receiver: verified invoice.ready (signatures: 2)',
    '3. new-secret receiver: verified invoice.ready',
    '4. overlap over; old secret no longer signs: rejected (ERR_SIGNATURE_MISMATCH)',
  ]);
}, 60_000);
