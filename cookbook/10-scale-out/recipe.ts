/**
 * Scale-out on PostgreSQL, end to end: one `api` and two `worker` processes deliver 200 events to
 * a receiver that verifies every one; the workers' `/metrics` say who delivered how many. Run with
 *   npx tsx --conditions=@herald/source cookbook/10-scale-out/recipe.ts
 * (HERALD_DATABASE_URL: the database, default postgres://postgres@127.0.0.1:5432/herald)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Webhook } from '@herald/webhooks';
import { KEYS_FILE, redact, sharedKeys, startScaleOut, type ExitStatus, type ScaleOut } from './start.js';

export interface RunOptions {
  /** Default: HERALD_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/herald. */
  databaseUrl?: string;
  /** The keys every process shares; generated when not given. */
  masterKey?: string;
  apiKey?: string;
  /** How many events to emit. Default 200. */
  events?: number;
  /** Called with the topology once it is up (the test uses it to clean up after a failure). */
  onStarted?: (topo: ScaleOut) => void;
}

export interface Report {
  /** One line per step (also printed). */
  lines: string[];
  events: number;
  /** Requests the receiver got, duplicates included. */
  requests: number;
  /** Requests whose signature verified. */
  verified: number;
  /** Distinct `webhook-id`s received. */
  distinct: number;
  /** Events (their `data.n`) that never arrived. */
  missing: number[];
  /** Successful delivery attempts of each process, from its `/metrics`. */
  delivered: Record<string, number>;
  /** Exit status of each process after the graceful stop. */
  exits: Record<string, ExitStatus>;
}

/** Sum of `herald_delivery_attempts_total{outcome="succeeded",…}` in a Prometheus text page. */
function succeededAttempts(metrics: string): number {
  let sum = 0;
  for (const m of metrics.matchAll(/^herald_delivery_attempts_total\{([^}]*)\} (\S+)$/gm))
    if (m[1]!.includes('outcome="succeeded"')) sum += Number(m[2]);
  return sum;
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the recipe; returns what happened (every line is also printed). */
export async function run(log: (line: string) => void = console.log, options: RunOptions = {}): Promise<Report> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };
  const total = options.events ?? 200;

  // 1. One api and two workers on one database, with one master key and one API key.
  const topo = await startScaleOut({
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.masterKey !== undefined ? { masterKey: options.masterKey } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    workers: 2,
  });
  options.onStarted?.(topo);
  say(`1. started 1 api and ${topo.workers.length} workers on ${redact(topo.databaseUrl)}`);

  const api = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(topo.apiUrl + path, {
      method,
      headers: {
        'x-goog-api-key': topo.apiKey,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // The receiver: verifies every request with the webhook's signing secret and counts each
  // webhook-id (delivery is at least once: a real receiver skips an id it has already processed).
  let verifier: Webhook | undefined;
  const seen = new Map<string, number>(); // webhook-id → times received
  const arrived = new Set<number>(); // data.n of every verified event
  let requests = 0;
  let verified = 0;
  let allArrived!: () => void;
  const everything = new Promise<void>((r) => (allArrived = r));
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      try {
        const event = verifier!.verify<{ data: { n: number } }>(Buffer.concat(chunks).toString('utf8'), req.headers);
        verified++;
        const id = String(req.headers['webhook-id']);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        arrived.add(event.data.n);
        res.writeHead(204).end();
        if (arrived.size === total) allArrived();
      } catch {
        res.writeHead(400).end(); // not signed by Herald with this secret: never processed
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

  let webhookId: string | undefined;
  try {
    // 2. A webhook on the api process; any worker delivers to it.
    const wh = await api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: receiverUrl,
      subscribed_events: ['report.ready'],
    });
    webhookId = wh.id;
    verifier = new Webhook(wh.new_signing_secret);
    say(`2. webhook ${wh.id} → ${receiverUrl}`);

    // 3. Emit through the api process, 8 at a time, each with an Idempotency-Key (safe to retry).
    const started = Date.now();
    let next = 0;
    const emitter = async () => {
      for (let n = next++; n < total; n = next++)
        await api(
          'POST',
          '/v1beta/events',
          { type: 'report.ready', data: { n } },
          { 'idempotency-key': `report-${n}` },
        );
    };
    await Promise.all(Array.from({ length: 8 }, emitter));
    say(`3. emitted ${total} report.ready events through the api process`);

    // 4. Wait (bounded) until every event has arrived.
    await within(everything, 60_000, () => `${total - arrived.size} of ${total} events still missing`);
    const duplicates = [...seen.values()].reduce((a, b) => a + b - 1, 0);
    say(
      `4. received ${arrived.size}/${total} events in ${Date.now() - started} ms: ${verified} verified, ` +
        `${seen.size} distinct webhook-id, ${duplicates} duplicates`,
    );

    // 5. Who delivered them: each process counts its attempts in /metrics. A worker records an
    //    attempt just after the receiver answers, so read until the counts add up (bounded).
    const delivered: Record<string, number> = {};
    const deadline = Date.now() + 15_000;
    for (;;) {
      for (const p of topo.processes)
        delivered[p.name] = succeededAttempts(await (await fetch(`${p.url}/metrics`)).text());
      const sum = Object.values(delivered).reduce((a, b) => a + b, 0);
      if (sum >= seen.size || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    say(
      `5. delivered by ${topo.processes.map((p) => `${p.name} ${delivered[p.name]}`).join(', ')} ` +
        `(herald_delivery_attempts_total, succeeded)`,
    );

    // 6. Clean up the webhook (the database outlives this run), then drain and stop every process.
    await api('DELETE', `/v1beta/webhooks/${wh.id}`);
    webhookId = undefined;
    const statuses = await topo.stop();
    const exits = Object.fromEntries(topo.processes.map((p, i) => [p.name, statuses[i]!]));
    say(`6. stopped: ${topo.processes.map((p) => `${p.name} exited ${String(exits[p.name])}`).join(', ')}`);

    const missing = Array.from({ length: total }, (_, n) => n).filter((n) => !arrived.has(n));
    return { lines, events: total, requests, verified, distinct: seen.size, missing, delivered, exits };
  } finally {
    if (webhookId !== undefined) await api('DELETE', `/v1beta/webhooks/${webhookId}`).catch(() => {});
    await topo.stop();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const keys = sharedKeys(KEYS_FILE);
  await run(console.log, { masterKey: keys.masterKey, apiKey: keys.apiKey });
}
