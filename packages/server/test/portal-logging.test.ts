import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createHerald } from '../src/compose/herald.js';
import { createLogger } from '../src/observability/logger.js';

/** Debug request logs of the portal: the link token and the session secret never appear. */
it('logs portal requests with the link token and the session secret redacted', async () => {
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-portal-logs-'));
  const herald = await createHerald({
    config: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'debug', apiKey: undefined, masterKey: undefined },
    logger: createLogger('debug', destination),
  });
  try {
    const url = await herald.listen();
    const admin = { 'x-goog-api-key': herald.adminKey, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1beta/projects`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'logged', name: 'Logged' }),
    });
    expect(created.status).toBe(200);
    const link = (await (
      await fetch(`${url}/v1beta/projects/logged:createPortalSession`, { method: 'POST', headers: admin, body: '{}' })
    ).json()) as { url: string; token: string };
    const entered = await fetch(link.url, { redirect: 'manual' });
    const base = entered.headers.get('location')!;
    const secret = /ps_[A-Za-z0-9_-]{43}/.exec(base)![0];
    expect((await fetch(`${url}${base}deliveries`)).status).toBe(200);
    expect((await fetch(`${url}${base}webhooks`, { method: 'POST', body: '' })).status).toBe(403);

    const urls = raw
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url)
      .filter((u): u is string => typeof u === 'string');
    expect(urls).toContain('/portal/enter?token=[redacted]');
    expect(urls).toContain('/portal/s/[redacted]/deliveries');
    expect(urls).toContain('/portal/s/[redacted]/webhooks');
    expect(raw).not.toContain(link.token);
    expect(raw).not.toContain(secret);
  } finally {
    await herald.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
