import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('receives the same event with a Web Request handler and with Fastify', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. Web Request handler (toFetchHandler): verified order.paid A-17',
    '2. Fastify (fastifyWebhooks): verified order.paid A-17',
    '3. forged request to the fetch handler: 401 ERR_SIGNATURE_MISMATCH',
    '4. other Fastify routes still parse JSON: {"still":"json"}',
  ]);
}, 30_000);
