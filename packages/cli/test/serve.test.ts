import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildServer, json, runCli, startCli, tempDir, waitForOutput } from './helpers/cli.js';

beforeAll(buildServer, BUILD_TIMEOUT_MS);

describe('herald serve (as built)', () => {
  it('starts on a free port, the other commands find its key in ./.herald, and Ctrl-C stops it with exit 0', async () => {
    const cwd = tempDir('serve-');
    const child = startCli(['serve'], { cwd, env: { HERALD_PORT: '0', HERALD_LOG_LEVEL: 'warn' } });
    child.stdin.end();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      const banner = await waitForOutput(child.stdout, /API key {4}hk_\S+.*\n/, 60_000);
      const url = /Health\s+(http:\/\/[^\s/]+)\/healthz/.exec(banner)![1]!;
      expect(banner).toContain('Herald is running');
      expect(banner).toContain(`Dashboard  ${url}/`);
      const key = /API key {4}(hk_\S+)/.exec(banner)![1]!;
      expect(readFileSync(join(cwd, '.herald/api-key'), 'utf8').trim()).toBe(key);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      // Another terminal in the same directory: no flag or variable for the key.
      const created = await runCli(
        [
          '--url',
          url,
          '--json',
          'webhooks',
          'create',
          '--uri',
          'http://127.0.0.1:9/hooks',
          '--events',
          'invoice.ready',
        ],
        { cwd },
      );
      expect(created.code, created.stderr).toBe(0);
      const listed = await runCli(['--url', url, '--json', 'webhooks', 'list'], { cwd });
      expect(json<{ webhooks: { id: string }[] }>(listed).webhooks.map((w) => w.id)).toEqual([
        json<{ id: string }>(created).id,
      ]);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('# TYPE herald_delivery_attempts_total counter');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/unexpected error/);
    expect(existsSync(join(cwd, '.herald'))).toBe(true);
  }, 120_000);

  it('on a busy port, says so in one line and names HERALD_PORT and --port', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '--port', String(port)], {
        cwd: tempDir('serve-busy-'),
        env: { HERALD_LOG_LEVEL: 'warn' },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `herald: port ${port} on 127.0.0.1 is in use (another Herald, or another server): ` +
          `stop it, or pick another port with HERALD_PORT=${port + 1} or --port ${port + 1}\n`,
      );
    } finally {
      busy.close();
    }
  }, 120_000);
});
