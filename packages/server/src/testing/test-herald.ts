import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeraldConfig } from '../compose/config.js';
import type { Clock } from '../kernel/clock.js';
import { createHerald, type Herald } from '../compose/herald.js';
import type { ClaimedDelivery } from '../model/records.js';

export interface RecordedAttempt {
  deliveryId: string;
  statusCode: number | undefined;
  errorCode: string | undefined;
  outcome: string;
}

export interface TestHerald {
  herald: Herald;
  url: string;
  apiKey: string;
  /** The instance's admin key (projects, portal links, instance-wide settings). */
  adminKey: string;
  dataDir: string;
  attempts: RecordedAttempt[];
  /** Resolves once `n` attempts in all have been recorded in the store. */
  waitForAttempts(n: number): Promise<RecordedAttempt[]>;
  /** JSON request against the API with the default key. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A real Herald on 127.0.0.1:0 with a temporary SQLite file and silent logs. */
export async function startTestHerald(
  opts: { config?: Partial<HeraldConfig>; clock?: Clock; random?: () => number; dataDir?: string } = {},
): Promise<TestHerald> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'herald-test-'));
  const attempts: RecordedAttempt[] = [];
  const waiters: { n: number; resolve: (a: RecordedAttempt[]) => void }[] = [];
  const herald = await createHerald({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      apiKey: undefined,
      adminKey: undefined,
      masterKey: undefined,
      ...opts.config,
    },
    ...(opts.clock ? { clock: opts.clock } : {}),
    random: opts.random ?? (() => 0.5),
    onAttempt: (d: ClaimedDelivery, result, outcome) => {
      attempts.push({ deliveryId: d.id, statusCode: result.statusCode, errorCode: result.errorCode, outcome });
      for (const w of waiters.filter((x) => attempts.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(attempts.slice());
      }
    },
  });
  const url = await herald.listen();
  return {
    herald,
    url,
    apiKey: herald.apiKey,
    adminKey: herald.adminKey,
    dataDir,
    attempts,
    waitForAttempts(n) {
      if (attempts.length >= n) return Promise.resolve(attempts.slice());
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async api(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          'x-goog-api-key': herald.apiKey,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
    },
    async close() {
      await herald.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
