/**
 * Your own API's long jobs: custom operations run by a worker over HTTP, and by an executor
 * embedded in your process; a webhook receiver sees progress, results and failures. Run with
 *   npx tsx --conditions=@herald/source cookbook/06-your-own-long-jobs/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, Webhook } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

interface Operation {
  name: string;
  state: string;
  metadata: { report: string };
  lease_id?: string;
}

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent' } });
  const base = await herald.listen();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'x-goog-api-key': herald.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // The receiver: one line per operation event, keyed by the operation name; resolves once the
  // expected number of events has arrived (deliveries may arrive in any order).
  const seen = new Map<string, string[]>();
  let expected = 0;
  let received = 0;
  let allArrived: () => void = () => {};
  const note = (id: string, text: string) => {
    seen.set(id, [...(seen.get(id) ?? []), text]);
    if (++received === expected) allArrived();
  };
  const waitFor = (n: number) =>
    new Promise<void>((r) => {
      expected = received + n;
      allArrived = r;
      if (received >= expected) r();
    });
  let receiver: ReturnType<typeof createWebhookReceiver> | undefined;
  const server = createServer((req, res) => toNodeHandler(receiver!)(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;

  try {
    const wh = await api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: receiverUrl,
      subscribed_events: ['operation.progress', 'operation.succeeded', 'operation.failed'],
    });
    receiver = createWebhookReceiver({ verifier: new Webhook(wh.new_signing_secret) })
      .on('operation.progress', (e) =>
        note(e.data.id, `progress ${e.data.progress.percent}% ${e.data.progress.message}`),
      )
      .on('operation.succeeded', (e) => note(e.data.id, `succeeded ${JSON.stringify(e.data.result)}`))
      .on('operation.failed', (e) => note(e.data.id, `failed ${e.data.error_code}: ${e.data.error_message}`));
    // Progress first, then the outcome (the order they happened; deliveries may overtake each other).
    const report = (name: string) =>
      (seen.get(name) ?? [])
        .sort((a, b) => Number(!a.startsWith('progress')) - Number(!b.startsWith('progress')))
        .join(' → ');

    // Part 1: the worker API. Your API creates operations; any process (any language) runs them.
    const q3 = await api<Operation>('POST', '/v1beta/operations', {
      kind: 'report.render',
      metadata: { report: 'q3' },
    });
    const bad = await api<Operation>('POST', '/v1beta/operations', {
      kind: 'report.render',
      metadata: { report: 'missing' },
    });
    say(`1. created ${q3.state} and ${bad.state} report.render operations`);

    let events = waitFor(4); // progress + outcome for each
    let handled = 0;
    while (handled < 2) {
      const { operations } = await api<{ operations: Operation[] }>('POST', '/v1beta/operations:lease', {
        kinds: ['report.render'],
        lease_seconds: 60,
        max: 5,
        worker_id: 'worker-1',
      });
      if (operations.length === 0) {
        await new Promise((r) => setTimeout(r, 200)); // idle: a real worker asks again a little later
        continue;
      }
      for (const op of operations) {
        const path = `/v1beta/${op.name}`;
        await api('POST', `${path}:progress`, { lease_id: op.lease_id, percent: 50, message: 'rendering' });
        if (op.metadata.report === 'missing') {
          await api('POST', `${path}:fail`, {
            lease_id: op.lease_id,
            error: { code: 'SOURCE_MISSING', message: 'no data for report missing' },
          });
        } else {
          await api('POST', `${path}:complete`, {
            lease_id: op.lease_id,
            result: { url: `https://cdn.example.com/${op.metadata.report}.pdf` },
          });
        }
        handled++;
      }
    }
    await events;
    say(`2. worker: q3 → ${report(q3.name)}`);
    say(`3. worker: missing → ${report(bad.name)}`);
    const final = await api<Operation & { result: unknown }>('GET', `/v1beta/${q3.name}`);
    say(`4. GET ${final.state}, result ${JSON.stringify(final.result)}`);

    // Part 2: the embedding API. Herald runs the executor in this process, leasing and
    // heartbeating for you; the return value is the result, a throw is the failure.
    herald.registerExecutor('report.embedded', async (op, ctx) => {
      await ctx.progress(50, 'rendering');
      if (op.metadata['report'] === 'missing') {
        throw Object.assign(new Error('no data for report missing'), { code: 'SOURCE_MISSING' });
      }
      return { url: `https://cdn.example.com/${String(op.metadata['report'])}.pdf` };
    });
    events = waitFor(4);
    const e1 = await api<Operation>('POST', '/v1beta/operations', {
      kind: 'report.embedded',
      metadata: { report: 'q4' },
    });
    const e2 = await api<Operation>('POST', '/v1beta/operations', {
      kind: 'report.embedded',
      metadata: { report: 'missing' },
    });
    await events;
    say(`5. embedded: q4 → ${report(e1.name)}`);
    say(`6. embedded: missing → ${report(e2.name)}`);
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
