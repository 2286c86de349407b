/**
 * Video generation + dynamic webhook + JWKS, end to end: run with
 *   npx tsx --conditions=@herald/source cookbook/02-video-dynamic-jwks/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, WebhookVerifier, type WebhookEvent } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

type VideoGenerated = Extract<WebhookEvent, { type: 'video.generated' }>;

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  // Herald in process; timeScale 20: the simulated 8 s video takes 0.4 s.
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 20 } });
  const heraldUrl = await herald.listen();
  const headers = { 'x-goog-api-key': herald.apiKey, 'content-type': 'application/json' };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(heraldUrl + path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // The receiver knows no secret: only Herald's public JWKS URL (and its own URL, the JWT audience).
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const myUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/video`;
  const verifier = new WebhookVerifier({
    jwks: `${heraldUrl}/.well-known/jwks.json`, // v1a: each Ed25519 key is tried; JWT: the key named by kid
    jwt: { audience: myUrl, issuer: heraldUrl }, // also accept JWT mode
  });

  // Routing by the user_metadata echoed in every event of the request.
  const done = new Map<string, (line: string) => void>();
  const routes: Record<string, (e: VideoGenerated) => Promise<string>> = {
    thumbnails: async (e) => {
      const video = await fetch(e.data.video_uri, { headers: { 'x-goog-api-key': herald.apiKey } });
      const bytes = new Uint8Array(await video.arrayBuffer());
      const box = new TextDecoder().decode(bytes.subarray(4, 8));
      return `thumbnails job downloaded the video (${video.headers.get('content-type')}, box "${box}")`;
    },
    archive: (e) => Promise.resolve(`archive job stored ${e.data.file_name.replace(/\/[^/]+$/, '/…')}`),
  };
  const receiver = createWebhookReceiver({ verifier }).on('video.generated', async (event, { scheme }) => {
    const route = String(event.data.user_metadata?.['route']);
    const outcome = await routes[route]!(event);
    done.get(route)?.(`${scheme} verified ${event.type} → route "${route}": ${outcome}`);
  });
  const handler = toNodeHandler(receiver);

  const generate = async (prompt: string, route: string) => {
    const delivered = new Promise<string>((r) => done.set(route, r));
    await api('POST', '/v1beta/models/veo-3.1-generate-preview:predictLongRunning', {
      instances: [{ prompt }],
      parameters: { sampleCount: 1 },
      webhookConfig: { uris: [myUrl], userMetadata: { route } },
    });
    return delivered;
  };

  try {
    const jwks = await (await fetch(`${heraldUrl}/.well-known/jwks.json`)).json();
    const algs = (jwks as { keys: { alg: string }[] }).keys.map((k) => k.alg).join(', ');
    say(`1. JWKS published (no API key needed): ${algs}`);

    const project = await api<{ dynamic_signing: string }>('GET', '/v1beta/project');
    say(`2. project signing mode: ${project.dynamic_signing}`);
    say(`3. ${await generate('a lighthouse at dusk', 'thumbnails')}`);

    await api('PATCH', '/v1beta/project', { dynamic_signing: 'v1a' });
    say(
      `4. project signing mode: ${(await api<{ dynamic_signing: string }>('GET', '/v1beta/project')).dynamic_signing}`,
    );
    say(`5. ${await generate('a harbour at dawn', 'archive')}`);
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
