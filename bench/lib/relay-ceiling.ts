import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpuMsSince, deliveryAgent, envelope, post, type BaselineRun, type Target } from './baselines.js';
import { postEventsFromChild } from './loadgen.js';
import { nowMs, sleep } from './time.js';

export interface RelayRun extends BaselineRun {
  accepted: number;
  ingestPerSec: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Baseline (c), the HTTP relay ceiling: what Herald's HTTP path must do at the least, with nothing
 * persisted. A bare `node:http` server takes `POST /v1beta/events` from the same load-generator
 * child as Herald's HTTP run, parses the JSON, answers 200 at once, and sends the signed POST with
 * undici (the ceiling's agent and signing). No authentication, validation, database or retries
 * beyond "again at once": an upper bound for any durable HTTP ingest on the same machine.
 */
export async function relayCeiling(
  targets: Target[],
  events: number,
  connectionsPerOrigin: number,
  producerConcurrency: number,
  capMs: number,
): Promise<RelayRun> {
  const agent = deliveryAgent(connectionsPerOrigin);
  const types = targets.map((_, i) => `bench.t${i}`);
  let delivered = 0;
  let retries = 0;
  let lastAt = 0;
  let msg = 0;
  const relay = async (ep: number, body: string, id: string) => {
    while (!(await post(agent, targets[ep]!, id, body))) retries++;
    delivered++;
    lastAt = nowMs();
  };
  const server = createServer((req, res) => {
    readBody(req).then(
      (text) => {
        const event = JSON.parse(text) as { type: string; data: { seq: number } };
        const ep = types.indexOf(event.type);
        if (ep < 0) {
          res.writeHead(400).end();
          return;
        }
        const id = `msg_relay_${msg++}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: `events/${id}` }));
        void relay(ep, envelope(event.type, event.data.seq), id);
      },
      () => res.writeHead(400).end(),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cpu = process.cpuUsage();
    const started = nowMs();
    const r = await postEventsFromChild({
      url,
      apiKey: 'relay',
      types,
      count: events,
      durationMs: capMs,
      connections: producerConcurrency,
    });
    while (delivered < r.accepted && nowMs() < started + capMs) await sleep(10);
    const elapsedMs = Math.max(1, (delivered >= r.accepted ? lastAt : nowMs()) - started);
    return {
      delivered,
      elapsedMs,
      perSec: Math.round((delivered / elapsedMs) * 1000),
      retries,
      cpuMs: cpuMsSince(cpu),
      accepted: r.accepted,
      ingestPerSec: Math.round((r.accepted / Math.max(1, r.elapsedMs)) * 1000),
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await agent.close();
  }
}
