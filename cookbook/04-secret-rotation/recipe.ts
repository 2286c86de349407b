/**
 * Zero-downtime secret rotation, end to end: run with
 *   npx tsx --conditions=@herald/source cookbook/04-secret-rotation/recipe.ts
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { Webhook, WebhookVerificationError } from '@herald/webhooks';

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };
  // A receiver that captures each delivery; verification happens below with the secret(s) in use.
  const inbox: Captured[] = [];
  const waiting: ((c: Captured) => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      const c = { headers: req.headers, body };
      const w = waiting.shift();
      if (w) w(c);
      else inbox.push(c);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const next = () => new Promise<Captured>((r) => (inbox.length > 0 ? r(inbox.shift()!) : waiting.push(r)));

  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 86_400 } });
  const base = await herald.listen();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'x-goog-api-key': herald.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, string>;
  };
  const emit = () => api('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_1' } });
  const verify = (secrets: string | string[], c: Captured) => {
    try {
      const event = new Webhook(secrets).verify<{ type: string }>(c.body, c.headers);
      return `verified ${event.type}`;
    } catch (err) {
      if (err instanceof WebhookVerificationError) return `rejected (${err.code})`;
      throw err;
    }
  };
  const count = (c: Captured) => String(c.headers['webhook-signature']).split(' ').length;

  try {
    const wh = await api('POST', '/v1beta/webhooks', { uri: receiverUrl, subscribed_events: ['invoice.ready'] });
    const oldSecret = wh.new_signing_secret!;
    await emit();
    let c = await next();
    say(`1. receiver on old secret: ${verify(oldSecret, c)} (signatures: ${count(c)})`);

    const { secret: newSecret } = await api('POST', `/v1beta/webhooks/${wh.id!}:rotateSigningSecret`, {});
    await emit();
    c = await next();
    say(`2. rotated; old-secret receiver: ${verify(oldSecret, c)} (signatures: ${count(c)})`);
    say(`3. new-secret receiver: ${verify([newSecret!, oldSecret], c).replace(/ \(.*$/, '')}`);

    // The overlap is 24 h divided by HERALD_TIME_SCALE (86400: one second): wait for the old secret's expire_time.
    const got = await api('GET', `/v1beta/webhooks/${wh.id!}`);
    const expiry = (got as unknown as { signing_secrets: { expire_time?: string }[] }).signing_secrets
      .map((s) => (s.expire_time ? Date.parse(s.expire_time) : 0))
      .reduce((a, b) => Math.max(a, b), 0);
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 50));
    await emit();
    c = await next();
    say(`4. overlap over; old secret no longer signs: ${verify(oldSecret, c)}`);
    return lines;
  } finally {
    await herald.close();
    server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
