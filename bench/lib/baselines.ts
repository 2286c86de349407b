import { createConnection } from 'node:net';
import { Agent, request } from 'undici';
import { inFlight } from './in-flight.js';
import { signedHeaders } from './sign.js';
import { nowMs } from './time.js';

/** What a baseline did: POSTs answered 2xx, time from the first send to the last 2xx. */
export interface BaselineRun {
  delivered: number;
  elapsedMs: number;
  perSec: number;
  /** Non-2xx answers or transport errors that were retried. */
  retries: number;
  /** CPU time (user + system) of the bench process during the run, and of Redis for BullMQ. */
  cpuMs: number;
  redisCpuMs?: number;
}

/** CPU milliseconds (user + system) this process used since `since`. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

export interface Target {
  url: string;
  key: Buffer;
}

/** The envelope the baselines send: the same shape and size as Herald's. */
export function envelope(type: string, seq: number): string {
  return JSON.stringify({ type, version: 'v1', timestamp: new Date().toISOString(), data: { seq } });
}

/** Herald's own delivery agent settings, minus the SSRF connector. */
export function deliveryAgent(connectionsPerOrigin: number): Agent {
  return new Agent({
    connections: connectionsPerOrigin,
    keepAliveTimeout: 4000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
}

/** Sends one signed POST; true on 2xx. The body is always read so the socket is reused. */
export async function post(agent: Agent, t: Target, msgId: string, body: string): Promise<boolean> {
  try {
    const res = await request(t.url, {
      dispatcher: agent,
      method: 'POST',
      headers: signedHeaders(t.key, msgId, body),
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  } catch {
    return false;
  }
}

/**
 * Baseline (a), the ceiling: a bare undici `request()` loop with HMAC signing and no persistence,
 * `concurrency` requests in flight, endpoints round-robin. A failed POST is retried at once.
 */
export async function ceilingLoop(
  targets: Target[],
  events: number,
  concurrency: number,
  connectionsPerOrigin: number,
): Promise<BaselineRun> {
  const agent = deliveryAgent(connectionsPerOrigin);
  let delivered = 0;
  let retries = 0;
  const cpu = process.cpuUsage();
  const started = nowMs();
  await inFlight(events, concurrency, async (seq) => {
    const t = targets[seq % targets.length]!;
    const body = envelope(`bench.t${seq % targets.length}`, seq);
    while (!(await post(agent, t, `msg_ceiling_${seq}`, body))) retries++;
    delivered++;
  });
  const elapsedMs = nowMs() - started;
  const cpuMs = cpuMsSince(cpu);
  await agent.close();
  return { delivered, elapsedMs, perSec: Math.round((delivered / elapsedMs) * 1000), retries, cpuMs };
}

/** Whether something accepts TCP connections at host:port within `timeoutMs`. */
export function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Herald's retry schedule (attempt n+1 after these delays), for the BullMQ build's custom backoff. */
const SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000];

/**
 * Baseline (b), what a team would build instead: a BullMQ queue on Redis; the producer adds one job
 * per event (`producerConcurrency` adds in flight, like concurrent API requests); a worker with
 * `concurrency` signs and POSTs with undici, throws on non-2xx, and BullMQ retries with Herald's
 * schedule. Completed jobs are removed. Note: this machine's Redis keeps nothing on disk, so this
 * build is not durable, unlike Herald with `synchronous=FULL`.
 */
export async function bullmqBuild(
  targets: Target[],
  events: number,
  concurrency: number,
  producerConcurrency: number,
  connectionsPerOrigin: number,
): Promise<BaselineRun> {
  const { Queue, Worker } = await import('bullmq');
  const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
  const name = `herald-bench-${process.pid}-${Date.now()}`;
  const agent = deliveryAgent(connectionsPerOrigin);
  const queue = new Queue<{ seq: number; ep: number; body: string }>(name, { connection });
  let delivered = 0;
  let retries = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const worker = new Worker<{ seq: number; ep: number; body: string }>(
    name,
    async (job) => {
      const t = targets[job.data.ep]!;
      if (!(await post(agent, t, `msg_bull_${job.data.seq}`, job.data.body))) throw new Error('not delivered');
    },
    {
      connection,
      concurrency,
      settings: { backoffStrategy: (attemptsMade: number) => SCHEDULE_MS[Math.min(attemptsMade - 1, 5)]! },
    },
  );
  worker.on('completed', () => {
    delivered++;
    if (delivered >= events) resolveDone();
  });
  worker.on('failed', () => retries++);
  await worker.waitUntilReady();
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await client.connect();
  const redisCpu = async () => {
    const info = await client.info('cpu');
    const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
  };
  const redisBefore = await redisCpu();
  const cpu = process.cpuUsage();
  const started = nowMs();
  await inFlight(events, producerConcurrency, async (seq) => {
    const ep = seq % targets.length;
    await queue.add(
      'deliver',
      { seq, ep, body: envelope(`bench.t${ep}`, seq) },
      { attempts: 8, backoff: { type: 'custom' }, removeOnComplete: true, removeOnFail: 1000 },
    );
  });
  await done;
  const elapsedMs = nowMs() - started;
  const cpuMs = cpuMsSince(cpu);
  const redisCpuMs = (await redisCpu()) - redisBefore;
  client.disconnect();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await agent.close();
  return { delivered, elapsedMs, perSec: Math.round((delivered / elapsedMs) * 1000), retries, cpuMs, redisCpuMs };
}
