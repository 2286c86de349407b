import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../kernel/config-error.js';
import { connectWithRetry, describePgTarget } from './connect-retry.js';
import { openPostgresStore } from './open-postgres-store.js';

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

class Stop extends Error {}

describe('connectWithRetry', () => {
  it('describes the target from the URL without its password', () => {
    expect(describePgTarget('postgres://bob:s3cret@db.internal:6543/herald')).toBe(
      'db.internal:6543, database herald, user bob',
    );
    expect(describePgTarget('postgres://localhost/herald')).toBe('localhost:5432, database herald, user (default)');
    expect(describePgTarget('not a url')).toMatch(/not a valid URL/);
  });

  it('an unreachable PostgreSQL is retried with backoff, each time saying what to check, never the password', async () => {
    const port = await closedPort();
    const url = `postgres://bob:s3cret@127.0.0.1:${port}/herald`;
    const lines: string[] = [];
    const waits: number[] = [];
    const attempt = connectWithRetry(() => openPostgresStore(url), {
      url,
      warn: (m) => lines.push(m),
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 6) throw new Stop('enough');
      },
      maxDelayMs: 8000,
    });
    await expect(attempt).rejects.toBeInstanceOf(Stop);
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line).toContain(`cannot reach PostgreSQL at 127.0.0.1:${port}, database herald, user bob`);
      expect(line).toMatch(/ECONNREFUSED/);
      expect(line).toMatch(/check that the server runs and accepts TCP connections on that host and port/);
      expect(line).not.toContain('s3cret');
    }
    expect(lines[2]).toMatch(/attempt 3\).*retrying in 2 s$/);
  });

  it('returns what open returns once the database answers', async () => {
    let calls = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const got = await connectWithRetry(
      async () => {
        if (++calls < 3) throw new Error('database migration failed: connect ECONNREFUSED', { cause: refused });
        return 'store';
      },
      { url: 'postgres://127.0.0.1/h', warn: () => undefined, sleep: async () => undefined },
    );
    expect([got, calls]).toEqual(['store', 3]);
  });

  it('a refused password or a missing database is a ConfigError at once, not a retry', async () => {
    for (const [code, hint] of [
      ['28P01', /password was refused/],
      ['3D000', /database does not exist/],
    ] as const) {
      let calls = 0;
      const err = Object.assign(new Error('nope'), { code });
      const attempt = connectWithRetry(
        async () => {
          calls++;
          throw new Error('database migration failed: nope', { cause: err });
        },
        { url: 'postgres://bob:pw@127.0.0.1/h', warn: () => undefined, sleep: async () => undefined },
      );
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(hint);
      expect(calls).toBe(1);
    }
  });

  it('any other error is thrown as it is', async () => {
    const bug = new TypeError('a bug');
    await expect(
      connectWithRetry(() => Promise.reject(bug), {
        url: 'postgres://h/d',
        warn: () => undefined,
        sleep: async () => {},
      }),
    ).rejects.toBe(bug);
  });
});
