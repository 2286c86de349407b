import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('receives batch.succeeded on an Express receiver and downloads the output file', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. webhook created, secret whsec_…',
    '2. batch started: BATCH_STATE_PENDING',
    '3. received batch.succeeded, verified by @herald/webhooks; standardwebhooks verified batch.succeeded',
    '4. same batch: true, output file: yes',
    '5. first output line: r1 → Simulated response to "Describe a lighthouse" (426b92e9).',
  ]);
}, 30_000);
