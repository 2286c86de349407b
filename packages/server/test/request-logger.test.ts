import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it, vi } from 'vitest';
import { createHerald } from '../src/compose/herald.js';
import { createLogger } from '../src/observability/logger.js';

/**
 * At `info` a request that logs nothing makes no pino child (LazyChildLogger as Fastify's child
 * logger factory); logging.test.ts checks that request lines still carry their request id.
 */
it('makes no per-request child logger at info for a request that logs nothing', async () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-request-logger-'));
  const logger = createLogger('info', destination);
  const herald = await createHerald({
    config: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'info', apiKey: undefined, masterKey: undefined },
    logger,
  });
  try {
    const url = await herald.listen();
    const child = vi.spyOn(logger, 'child');
    const ev = await fetch(`${url}/v1beta/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': herald.apiKey },
      body: JSON.stringify({ type: 'invoice.ready', data: { id: 'inv_1' } }),
    });
    expect(ev.status).toBe(200);
    expect(child.mock.calls.filter(([bindings]) => 'reqId' in bindings)).toEqual([]);
  } finally {
    await herald.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
