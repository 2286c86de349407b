import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { AssetUrls } from '../layout.js';
import { DASHBOARD_JS } from './client.js';
import { DASHBOARD_CSS } from './styles.js';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const asset = (body: Buffer, type: string): Asset => ({
  body,
  type,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
});

/** htmx as published on npm (`htmx.org/dist/htmx.min.js`), read once from node_modules. */
function loadHtmx(): Buffer {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('htmx.org/dist/htmx.min.js'));
}

let loaded: Map<string, Asset> | undefined;

/** The three files, built once per process (the dashboard and the portal share them). */
function assetFiles(): Map<string, Asset> {
  loaded ??= new Map<string, Asset>([
    ['htmx.min.js', asset(loadHtmx(), 'text/javascript; charset=utf-8')],
    ['dashboard.css', asset(Buffer.from(DASHBOARD_CSS), 'text/css; charset=utf-8')],
    ['dashboard.js', asset(Buffer.from(DASHBOARD_JS), 'text/javascript; charset=utf-8')],
  ]);
  return loaded;
}

/** The content-hashed URLs of the assets (served by `registerAssets`). */
export function assetUrls(): AssetUrls {
  const files = assetFiles();
  const url = (name: string) => `/dashboard/assets/${name}?v=${files.get(name)!.etag.slice(1, 9)}`;
  return { htmx: url('htmx.min.js'), css: url('dashboard.css'), js: url('dashboard.js') };
}

/**
 * Serves the dashboard's three static files from memory: htmx (from node_modules, no CDN), the
 * stylesheet and the client script. URLs carry the content hash (`?v=`), so responses are
 * cacheable for a year; a stale `If-None-Match` still gets a 304 when the content matches.
 */
export function registerAssets(app: FastifyInstance): AssetUrls {
  const files = assetFiles();
  app.get<{ Params: { file: string } }>('/dashboard/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const a = files.get(req.params.file);
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    void reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', a.etag)
      .header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
    return reply.type(a.type).send(a.body);
  });
  return assetUrls();
}
