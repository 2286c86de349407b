/**
 * Offer webhooks to your customers: run with
 *   npx tsx --conditions=@herald/source cookbook/11-offer-webhooks-to-your-customers/recipe.ts
 *
 * "Your app" is a tiny HTTP server: at sign-up its backend creates one Herald project per customer
 * (admin key), when a customer's job finishes it emits into that project, and its settings page
 * embeds the customer's webhook portal in an <iframe> (a one-time link minted per page view).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { Webhook } from 'standardwebhooks';

/** What your backend keeps: Herald's URL and ONE credential, the admin key. */
interface HeraldAdmin {
  url: string;
  adminKey: string;
}

async function call<T>(h: HeraldAdmin, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(h.url + path, {
    method,
    headers: { 'x-goog-api-key': h.adminKey, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error?.message ?? ''}`);
  return json;
}

/** Your app: sign-up creates the customer's project; finished jobs become events in it. */
export function yourApp(herald: HeraldAdmin): Server {
  return createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://app');
        const send = (status: number, type: string, body: string) =>
          res.writeHead(status, { 'content-type': type }).end(body);
        try {
          if (req.method === 'POST' && url.pathname === '/signup') {
            const { customer, company } = JSON.parse(raw) as { customer: string; company: string };
            // Your customer id is the project id: no mapping table to keep.
            await call(herald, 'POST', '/v1beta/projects', { id: customer, name: company });
            return send(201, 'application/json', JSON.stringify({ customer }));
          }
          const job = /^\/customers\/([a-z][a-z0-9-]{2,62})\/jobs$/.exec(url.pathname);
          if (req.method === 'POST' && job) {
            const event = await call<{ id: string }>(herald, 'POST', `/v1beta/projects/${job[1]}/events`, {
              type: 'job.completed',
              data: JSON.parse(raw) as Record<string, unknown>,
            });
            return send(202, 'application/json', JSON.stringify({ event: event.id }));
          }
          const settings = /^\/customers\/([a-z][a-z0-9-]{2,62})\/settings\/webhooks$/.exec(url.pathname);
          if (req.method === 'GET' && settings) {
            // In your app, check first that the signed-in user belongs to this customer.
            const link = await call<{ url: string }>(
              herald,
              'POST',
              `/v1beta/projects/${settings[1]}:createPortalSession`,
              { ttl: '600s' },
            );
            return send(
              200,
              'text/html; charset=utf-8',
              `<!doctype html><title>Webhooks</title><h1>Webhooks</h1>` +
                `<iframe title="Webhooks portal" src="${link.url}" style="width:100%;height:80vh;border:0"></iframe>`,
            );
          }
          send(404, 'text/plain', 'not found');
        } catch (err) {
          send(502, 'text/plain', (err as Error).message);
        }
      })();
    });
  });
}

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A customer's own webhook endpoint. */
async function customerEndpoint() {
  const inbox: Captured[] = [];
  const waiting: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      inbox.push({ headers: req.headers, body });
      res.writeHead(204).end();
      waiting.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  /** Resolves with the first delivery once it has arrived. */
  const first = async () => {
    while (inbox.length === 0) await new Promise<void>((r) => waiting.push(r));
    return inbox[0]!;
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, inbox, first, server };
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  // Your app's origin is the one allowed to frame the portal (HERALD_PORTAL_FRAME_ANCESTORS).
  const admin: HeraldAdmin = { url: '', adminKey: '' };
  const app = yourApp(admin);
  const appUrl = await listen(app);
  const herald = await createHerald({
    config: { port: 0, dataDir, logLevel: 'silent', portalFrameAncestors: appUrl },
  });
  const heraldUrl = await herald.listen();
  Object.assign(admin, { url: heraldUrl, adminKey: herald.adminKey });
  const acme = await customerEndpoint();
  const globex = await customerEndpoint();
  const post = (path: string, body: unknown) =>
    fetch(appUrl + path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  try {
    for (const [customer, company] of [
      ['acme', 'Acme Corp'],
      ['globex', 'Globex'],
    ]) {
      const r = await post('/signup', { customer, company });
      say(`1. ${company} signed up: ${r.status}, project "${customer}" created`);
    }
    // Each customer adds its endpoint in the portal; here the API does it on their behalf.
    const secrets: Record<string, string> = {};
    for (const [customer, endpoint] of [
      ['acme', acme],
      ['globex', globex],
    ] as const) {
      const wh = await call<{ new_signing_secret: string }>(admin, 'POST', `/v1beta/projects/${customer}/webhooks`, {
        uri: endpoint.url,
        subscribed_events: ['job.completed'],
      });
      secrets[customer] = wh.new_signing_secret;
    }
    say('2. each customer has its own endpoint and signing secret');

    await post('/customers/acme/jobs', { job: 'render-42', status: 'done' });
    const got = await acme.first();
    const event = new Webhook(secrets.acme!).verify(got.body, got.headers as Record<string, string>) as {
      type: string;
      data: { job: string };
    };
    say(`3. Acme's endpoint got ${event.type} for ${event.data.job}, verified with Acme's secret`);
    const otherKey = (() => {
      try {
        new Webhook(secrets.globex!).verify(got.body, got.headers as Record<string, string>);
        return 'verifies';
      } catch {
        return 'does not verify';
      }
    })();
    say(`4. Globex received ${globex.inbox.length} deliveries; Globex's secret ${otherKey} Acme's`);

    const page = await (await fetch(`${appUrl}/customers/acme/settings/webhooks`)).text();
    const src = /<iframe[^>]* src="([^"]+)"/.exec(page)?.[1] ?? '';
    say(`5. the settings page embeds ${src.replace(/token=hp_\w+/, 'token=hp_…').replace(heraldUrl, '<herald>')}`);

    // What the iframe does: the one-time link signs it into Acme's portal (a session in the URL path).
    const enter = await fetch(src, { redirect: 'manual' });
    const portal = await fetch(new URL(enter.headers.get('location') ?? '', heraldUrl));
    const html = await portal.text();
    const framing = portal.headers.get('content-security-policy')?.match(/frame-ancestors [^;]+/)?.[0] ?? '';
    say(
      `6. the link opens Acme's portal (${enter.status} → ${portal.status}, shows "Acme Corp": ${html.includes('Acme Corp')}, ` +
        `shows "Globex": ${html.includes('Globex')}, ${framing.replace(appUrl, '<your app>')})`,
    );
    const reused = await fetch(src, { redirect: 'manual' });
    say(`7. the same link again: ${reused.status} (one-time)`);
    return lines;
  } finally {
    app.close();
    acme.server.close();
    globex.server.close();
    await herald.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
