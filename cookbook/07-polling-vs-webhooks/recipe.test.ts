import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('observes the same batch completion by polling and by webhook, and prints both latencies', async () => {
  const lines = await run(() => {});
  // Latencies depend on timing: only check that both consumers saw the completion.
  expect(lines[0]).toBe('1. batch started: BATCH_STATE_PENDING');
  expect(lines[1]).toMatch(/^2\. polling saw BATCH_STATE_SUCCEEDED after \d+ requests$/);
  expect(lines[2]).toBe('3. webhook saw batch.succeeded after 0 requests');
  expect(lines[3]).toMatch(/^4\. latency after the batch ended: webhook -?\d+ ms, polling -?\d+ ms$/);
}, 30_000);
