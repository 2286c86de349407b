/**
 * Receiver outage and recovery, end to end: run with
 *   npx tsx --conditions=@herald/source cookbook/05-outage-and-replay/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, MemoryIdempotencyStore, Webhook, type WebhookReceiver } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

interface Delivery {
  id: string;
  status: string;
  event_type?: string;
  attempts?: { status_code?: number; trigger?: string }[];
}

/** A promise with its resolver, to await something the receiver sees. */
function signal<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  // timeScale 86400: the 24 h retry window (8 attempts) passes in one second.
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 86_400 } });
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

  // The orders service: an idempotent handler. createWebhookReceiver claims each webhook-id in the
  // store before calling the handler, so a redelivered event is acknowledged and not processed again.
  const processed = new Map<string, number>();
  let target = 0;
  let reached = signal();
  const expectProcessed = (n: number) => ((target = n), (reached = signal()), reached.promise);
  let duplicates = 0;
  let dupTarget = 0;
  let dupReached = signal();
  let down = true;
  let receiver: WebhookReceiver | undefined;
  let handler: ReturnType<typeof toNodeHandler> | undefined;
  const orders = createServer((req, res) => {
    if (down) {
      req.resume();
      res.writeHead(503).end(); // the outage
      return;
    }
    handler!(req, res);
  });
  await new Promise<void>((r) => orders.listen(0, '127.0.0.1', r));
  const ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}/webhooks`;

  // A monitor, on another healthy endpoint, subscribed to webhook.disabled.
  const disabled = signal<string>();
  const monitor = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      const e = JSON.parse(body) as { type: string; data: { reason: string } };
      if (e.type === 'webhook.disabled') disabled.resolve(e.data.reason);
    });
  });
  await new Promise<void>((r) => monitor.listen(0, '127.0.0.1', r));
  const monitorUrl = `http://127.0.0.1:${(monitor.address() as AddressInfo).port}/`;

  try {
    const wh = await api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: ordersUrl,
      subscribed_events: ['order.paid'],
    });
    await api('POST', '/v1beta/webhooks', { uri: monitorUrl, subscribed_events: ['webhook.disabled'] });
    receiver = createWebhookReceiver({
      verifier: new Webhook(wh.new_signing_secret),
      store: new MemoryIdempotencyStore(), // one process; use @herald/webhooks/sqlite or /redis for several
    }).on('order.paid', (event) => {
      const { order } = event.data as { order: string };
      processed.set(order, (processed.get(order) ?? 0) + 1);
      if ([...processed.values()].reduce((a, b) => a + b, 0) === target) reached.resolve();
    });
    // Count the receiver's duplicate answers ({"ok":true,"duplicate":true}) to show them below.
    const counting: WebhookReceiver = {
      on: receiver.on.bind(receiver),
      handle: async (request) => {
        const answer = await receiver!.handle(request);
        if (answer.body.includes('"duplicate":true') && ++duplicates === dupTarget) dupReached.resolve();
        return answer;
      },
    };
    handler = toNodeHandler(counting);
    const since = new Date().toISOString();
    /** Deliveries have no event of their own: read the list until it has `n` entries (bounded). */
    const settled = async (path: string, n: number) => {
      for (let i = 0; i < 250; i++) {
        if ((await api<{ deliveries: Delivery[] }>('GET', path)).deliveries.length >= n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`${path}: fewer than ${n} deliveries after 5 s`);
    };
    const pay = (order: string) => api('POST', '/v1beta/events', { type: 'order.paid', data: { order } });

    // 1. The receiver is up: A-1 is processed.
    down = false;
    let done = expectProcessed(1);
    await pay('A-1');
    await done;
    say(`1. receiver up: processed A-1`);

    // 2. The receiver goes down (503) while two orders are paid. Herald retries on its schedule;
    //    when a delivery exhausts its 24 h window with no success for 24 h, the webhook is disabled.
    down = true;
    await pay('A-2');
    await pay('A-3');
    say(`2. receiver down; webhook disabled: ${await disabled.promise}`);

    // 3. While it is disabled, another order: no delivery is even queued.
    await pay('A-4');
    const { deliveries } = await api<{ deliveries: Delivery[] }>('GET', `/v1beta/deliveries?webhook=${wh.id}`);
    const missed = deliveries.filter((d) => d.status === 'failed' || d.status === 'cancelled').length;
    say(`3. A-4 paid while disabled: ${deliveries.length} deliveries in all (A-1..A-3), ${missed} failed or cancelled`);

    // 4. The retries are visible per delivery.
    // (About 8 attempts: at this time scale the receiver's own latency eats into the 24 h window.)
    const failed = deliveries.find((d) => d.status === 'failed')!;
    const detail = await api<Delivery>('GET', `/v1beta/deliveries/${failed.id}`);
    const codes = [...new Set(detail.attempts!.map((a) => a.status_code))].join(', ');
    say(`4. a failed delivery: ${detail.attempts!.length} attempts over 24 h, all answered ${codes}`);

    // 5. The receiver is back: enable the webhook and replay since the outage began.
    down = false;
    done = expectProcessed(4);
    await api('PATCH', `/v1beta/webhooks/${wh.id}`, { state: 'enabled' });
    const replay = await api<{ replayed: number; requeued: number; created: number }>(
      'POST',
      `/v1beta/webhooks/${wh.id}:replay`,
      { since },
    );
    await done;
    // Herald records each answer just after the handler ran: wait until all four are settled
    // (a replay leaves deliveries still in flight alone).
    await settled(`/v1beta/deliveries?webhook=${wh.id}&status=succeeded`, 4);
    say(`5. replay: ${replay.replayed} replayed (${replay.requeued} attempted again, ${replay.created} never sent)`);
    say(
      `6. processed: ${[...processed]
        .sort()
        .map(([o, n]) => `${o}×${n}`)
        .join(' ')}`,
    );

    // 7. Replay the whole window again, successes included: every event arrives again, and the
    //    idempotent receiver acknowledges each as a duplicate without processing it twice.
    dupTarget = duplicates + 4;
    dupReached = signal();
    const again = await api<{ replayed: number }>('POST', `/v1beta/webhooks/${wh.id}:replay`, {
      since,
      only_failed: false,
    });
    await dupReached.promise;
    say(`7. replay all: ${again.replayed} redelivered, 4 acknowledged as duplicates`);
    say(
      `8. processed: ${[...processed]
        .sort()
        .map(([o, n]) => `${o}×${n}`)
        .join(' ')}`,
    );
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => orders.close(r));
    await new Promise((r) => monitor.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
