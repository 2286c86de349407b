import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../src/testing/pg-scratch.js';
import {
  privateClusterUnavailable,
  startPrivateCluster,
  type PrivateCluster,
} from '../src/testing/pg-private-cluster.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';
import { runWorkerProcess } from '../src/testing/worker-api-process.js';

/**
 * Scale-out on PostgreSQL, with real processes: one `api` and three `worker` processes
 * (`herald serve` from source) share one database; real receivers on 127.0.0.1:0 in this
 * process count what arrives and how many requests each has open at once.
 *
 * Sizes: the clean run is the full 5,000 events to 20 endpoints (each endpoint subscribes to one
 * of 5 event types, so 20,000 deliveries); it took ~140–185 s on a shared, heavily loaded 2-vCPU
 * machine, bound by emitting through one API process. The SIGKILL and restart runs use 1,500
 * events each (~60–80 s there). `HERALD_MP_EVENTS` overrides the clean run's size.
 */
const available = await pgTestAvailability();
if (!available.ok) console.warn(`multi-process PostgreSQL tests skipped: ${available.reason}`);
const clusterProblem = privateClusterUnavailable();
if (clusterProblem) console.warn(`PostgreSQL restart test skipped: ${clusterProblem}`);

const API_KEY = `hk_${randomBytes(16).toString('hex')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
const CAP = 4;
const ENDPOINTS = 20;
const TYPES = 5;
const typeOf = (n: number) => `job.t${n % TYPES}`;

// Everything a test starts (processes, receivers, databases, a cluster) is stopped right after
// it, newest first, so the next test starts from a quiet machine with free connections.
const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      // best effort
    }
  }
}
afterEach(cleanUp, 120_000);
afterAll(cleanUp, 120_000);

interface Endpoint {
  url: string;
  /** webhook-id of every request, in arrival order (duplicates included). */
  ids: string[];
  active: number;
  maxActive: number;
  /** While set, requests are held open (not answered) until `release()`. */
  holding: boolean;
  release: () => void;
}

async function startEndpoint(): Promise<Endpoint> {
  const held: (() => void)[] = [];
  const ep: Endpoint = {
    url: '',
    ids: [],
    active: 0,
    maxActive: 0,
    holding: false,
    release() {
      ep.holding = false;
      for (const answer of held.splice(0)) answer();
    },
  };
  const server: Server = createServer((req, res) => {
    ep.active++;
    ep.maxActive = Math.max(ep.maxActive, ep.active);
    let done = false;
    res.on('close', () => {
      if (!done) {
        done = true;
        ep.active--;
      }
    });
    req.resume();
    req.on('end', () => {
      ep.ids.push(String(req.headers['webhook-id']));
      const answer = () => setTimeout(() => res.end('ok'), 2 + Math.floor(Math.random() * 8));
      if (ep.holding) held.push(answer);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ep.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return ep;
}

async function stopHerald(h: SpawnedHerald): Promise<void> {
  if (h.child.exitCode !== null || h.child.signalCode !== null) return;
  h.child.kill('SIGTERM');
  const t = setTimeout(() => h.child.kill('SIGKILL'), 15_000);
  await h.exited;
  clearTimeout(t);
}

async function startTopology(databaseUrl: string, extraEnv: Record<string, string> = {}) {
  const env = (role: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), `herald-mp-${role}-`));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return {
      HERALD_DATABASE_URL: databaseUrl,
      HERALD_ROLE: role,
      HERALD_DATA_DIR: dataDir,
      HERALD_API_KEY: API_KEY,
      HERALD_MASTER_KEY: MASTER_KEY,
      HERALD_MAX_IN_FLIGHT_PER_DESTINATION: String(CAP),
      HERALD_ATTEMPT_TIMEOUT_MS: '3000',
      ...extraEnv,
    };
  };
  // All four start together: migrations and key bootstrap must cope.
  const [api, ...workers] = await Promise.all([
    spawnHerald(env('api')),
    spawnHerald(env('worker')),
    spawnHerald(env('worker')),
    spawnHerald(env('worker')),
  ]);
  const all = [api, ...workers];
  cleanups.push(async () => {
    await Promise.all(all.map(stopHerald));
  });
  return { api: api, workers, all };
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-goog-api-key': API_KEY, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Emits `count` events with idempotency keys, `parallel` at a time, retrying through outages. */
async function emitAll(base: string, count: number, onProgress?: (done: number) => void, from = 0) {
  const messageIds = new Array<string>(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const n = from + i;
      for (;;) {
        try {
          const r = await call(
            base,
            'POST',
            '/v1beta/events',
            { type: typeOf(n), data: { n } },
            {
              'idempotency-key': `ev-${n}`,
            },
          );
          if (r.status === 200) {
            messageIds[i] = r.body.message_id as string;
            break;
          }
        } catch {
          // the API process is up but its database is not (a restart): try again
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return messageIds;
}

async function setUp(db: { url: string }, events: number, extraEnv: Record<string, string> = {}) {
  const topo = await startTopology(db.url, extraEnv);
  const endpoints = await Promise.all(Array.from({ length: ENDPOINTS }, () => startEndpoint()));
  for (const [i, ep] of endpoints.entries()) {
    const r = await call(topo.api.url, 'POST', '/v1beta/webhooks', { uri: ep.url, subscribed_events: [typeOf(i)] });
    expect(r.status).toBe(200);
  }
  const expectedFor = (ids: string[]) =>
    endpoints.map((_, i) => new Set(ids.filter((_id, n) => n % TYPES === i % TYPES)));
  return { ...topo, endpoints, expectedFor, events };
}

async function waitDelivered(endpoints: Endpoint[], expected: Set<string>[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = endpoints.reduce((m, ep, i) => {
      const got = new Set(ep.ids);
      let k = 0;
      for (const id of expected[i]!) if (!got.has(id)) k++;
      return m + k;
    }, 0);
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing} deliveries still missing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function unsettled(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE status <> 'succeeded'");
    return Number(r.rows[0]!.n);
  } finally {
    await c.end();
  }
}

/** Every process is still running; a dead one fails the test with the tail of its output. */
function expectAllAlive(procs: SpawnedHerald[]): void {
  for (const h of procs) {
    const dead = h.child.exitCode !== null || h.child.signalCode !== null;
    if (dead)
      console.error(`--- ${h.url} exit=${String(h.child.exitCode ?? h.child.signalCode)}\n${h.output().slice(-4000)}`);
    expect(dead, `${h.url} exited`).toBe(false);
  }
}

/** Polls until `check()` holds or `ms` pass; returns whether it held. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

const totalReceived = (eps: Endpoint[]) => eps.reduce((n, ep) => n + ep.ids.length, 0);

describe.skipIf(!available.ok)('multi-process on PostgreSQL (1 api + 3 workers)', () => {
  let db: ScratchDatabase;

  it('delivers every event to every subscribed endpoint, within the cap, without duplicates; worker-API operations complete once', async () => {
    db = await createScratchDatabase();
    cleanups.push(() => db.drop());
    const events = Number(process.env.HERALD_MP_EVENTS ?? 5000);
    // Attempts never time out here (endpoint 0 holds requests open on purpose, and a loaded
    // machine can stretch that): a timed-out attempt is retried, a legitimate duplicate that
    // would hide a real one.
    const s = await setUp(db, events, { HERALD_ATTEMPT_TIMEOUT_MS: '30000' });
    // A worker serves health and metrics, not the API.
    expect((await fetch(`${s.workers[0].url}/healthz`)).status).toBe(200);
    expect((await call(s.workers[0].url, 'GET', '/v1beta/webhooks')).status).toBe(404);
    // The cap, exercised on purpose: endpoint 0 holds its requests open while a burst for it
    // waits in the database. The workers (three processes) must open exactly CAP requests to it
    // between them, and no more while those stay open; then it answers and everything flows.
    const gated = s.endpoints[0]!;
    gated.holding = true;
    const started = Date.now();
    const burst = await emitAll(s.api.url, TYPES * 3 * CAP);
    expect(await until(() => gated.active === CAP, 10_000), `endpoint 0 reached ${gated.active} of ${CAP}`).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // would a fifth one arrive?
    expect(gated.maxActive).toBe(CAP);
    gated.release();
    const rest = await emitAll(s.api.url, events, undefined, TYPES * 3 * CAP);
    const ids = [...burst, ...rest];
    const emitted = Date.now() - started;
    const expected = s.expectedFor(ids);
    await waitDelivered(s.endpoints, expected, 150_000);
    const elapsed = Date.now() - started;
    console.log(
      `clean run: ${events} events emitted in ${emitted} ms, ${totalReceived(s.endpoints)} deliveries done in ${elapsed} ms`,
    );

    for (const [i, ep] of s.endpoints.entries()) {
      expect(ep.maxActive, `endpoint ${i} concurrency`).toBeLessThanOrEqual(CAP);
      expect(ep.ids.length, `endpoint ${i} duplicates`).toBe(expected[i]!.size);
    }
    // The receivers have everything; the last attempt records commit a moment after their answers.
    const settleBy = Date.now() + 10_000;
    while ((await unsettled(db.url)) > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 100));
    expect(await unsettled(db.url)).toBe(0);

    // Operations through the worker API, leased by four separate worker processes at once.
    const opsRx = await startEndpoint();
    await call(s.api.url, 'POST', '/v1beta/webhooks', { uri: opsRx.url, subscribed_events: ['operation.succeeded'] });
    const OPS = 200;
    const names: string[] = [];
    for (let i = 0; i < OPS; i++) {
      const r = await call(s.api.url, 'POST', '/v1beta/operations', { kind: 'mp.job', metadata: { i } });
      expect(r.status).toBe(200);
      names.push(r.body.name as string);
    }
    const completions = (
      await Promise.all([1, 2, 3, 4].map((i) => runWorkerProcess(s.api.url, API_KEY, `w${i}`)))
    ).flat();
    expect(completions).toHaveLength(OPS);
    expect(new Set(completions).size).toBe(OPS);
    expect(new Set(completions)).toEqual(new Set(names));
    const deadline = Date.now() + 30_000;
    while (new Set(opsRx.ids).size < OPS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(new Set(opsRx.ids).size).toBe(OPS);
    expect(opsRx.ids).toHaveLength(OPS);
    expectAllAlive(s.all);
  }, 600_000);

  it('SIGKILL of one worker mid-run: everything is still delivered and the others carry on', async () => {
    const db2 = await createScratchDatabase();
    cleanups.push(() => db2.drop());
    const events = 1500;
    // A short lease grace: the killed worker's deliveries come back 5 s after their claim, not 18 s.
    const s = await setUp(db2, events, { HERALD_LEASE_GRACE_MS: '2000' });
    let killed = false;
    const ids = await emitAll(s.api.url, events, (done) => {
      if (!killed && done >= events / 3) {
        killed = true;
        s.workers[0].child.kill('SIGKILL');
      }
    });
    expect(await s.workers[0].exited).toBe('SIGKILL');
    // The dead worker's leases come back after they expire (attempt timeout 3 s + 2 s grace).
    await waitDelivered(s.endpoints, s.expectedFor(ids), 120_000);
    expectAllAlive([s.api, s.workers[1], s.workers[2]]);
    const deadline = Date.now() + 30_000;
    while ((await unsettled(db2.url)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await unsettled(db2.url)).toBe(0);
  }, 240_000);

  it.skipIf(clusterProblem !== undefined)(
    'PostgreSQL restart mid-run: everything is still delivered and every process carries on',
    async () => {
      // A server of its own: restarting the shared one would cut the suites running in parallel.
      const cluster: PrivateCluster = await startPrivateCluster();
      cleanups.push(() => cluster.stop());
      const db3 = await createScratchDatabase(cluster.url);
      const events = 1500;
      const s = await setUp(db3, events);
      let restarted = false;
      const ids = await emitAll(s.api.url, events, (done) => {
        if (!restarted && done >= events / 3) {
          restarted = true;
          cluster.restart();
        }
      });
      expect(restarted).toBe(true);
      await waitDelivered(s.endpoints, s.expectedFor(ids), 120_000).catch((err: unknown) => {
        for (const h of s.all)
          console.error(`--- ${h.url} exit=${String(h.child.exitCode)}\n${h.output().slice(-3000)}`);
        throw err;
      });
      expectAllAlive(s.all);
      const ready = await fetch(`${s.api.url}/readyz`);
      expect(ready.status).toBe(200);
      // New work after the restart flows too (the LISTEN connections came back).
      const r = await call(s.api.url, 'POST', '/v1beta/events', { type: typeOf(0), data: { after: true } });
      const after = r.body.message_id as string;
      await waitDelivered([s.endpoints[0]!], [new Set([after])], 30_000);
    },
    240_000,
  );
});
