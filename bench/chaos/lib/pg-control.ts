import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pgUnavailable } from '../../lib/scratch-db.js';

const run = promisify(execFile);

/** The local PostgreSQL cluster as `pg_lsclusters` lists it (Debian's postgresql-common). */
export interface PgCluster {
  version: string;
  name: string;
  port: number;
}

/** The cluster on port 5432, or why the PostgreSQL scenarios cannot run here. */
export async function findCluster(): Promise<PgCluster | string> {
  const down = await pgUnavailable();
  if (down) return `PostgreSQL is not reachable (${down})`;
  let out: string;
  try {
    out = (await run('pg_lsclusters', ['--no-header'])).stdout;
  } catch {
    return 'pg_lsclusters is not available (the scenario restarts the local cluster with pg_ctlcluster)';
  }
  for (const line of out.split('\n')) {
    const [version, name, port, status] = line.trim().split(/\s+/);
    if (version && name && port === '5432' && status?.startsWith('online')) return { version, name, port: 5432 };
  }
  return 'no online cluster on port 5432 in pg_lsclusters';
}

export async function pgctl(c: PgCluster, action: 'restart' | 'stop' | 'start'): Promise<void> {
  await run('pg_ctlcluster', [c.version, c.name, action], { timeout: 60_000 });
}

/** Starts the cluster again if it is down (the scenarios' `finally`: never leave PostgreSQL stopped). */
export async function ensureRunning(c: PgCluster): Promise<void> {
  if ((await pgUnavailable()) === undefined) return;
  try {
    await pgctl(c, 'start');
  } catch {
    // already starting, or started by someone else
  }
  for (let i = 0; i < 60 && (await pgUnavailable()) !== undefined; i++) {
    await new Promise((r) => setTimeout(r, 500));
  }
}
