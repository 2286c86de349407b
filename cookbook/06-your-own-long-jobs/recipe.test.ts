import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('runs custom operations with a worker and an embedded executor; the receiver sees every event', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. created pending and pending report.render operations',
    '2. worker: q3 → progress 50% rendering → succeeded {"url":"https://cdn.example.com/q3.pdf"}',
    '3. worker: missing → progress 50% rendering → failed SOURCE_MISSING: no data for report missing',
    '4. GET succeeded, result {"url":"https://cdn.example.com/q3.pdf"}',
    '5. embedded: q4 → progress 50% rendering → succeeded {"url":"https://cdn.example.com/q4.pdf"}',
    '6. embedded: missing → progress 50% rendering → failed SOURCE_MISSING: no data for report missing',
  ]);
}, 30_000);
