import type { FastifyPluginAsync } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Herald</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
code,pre{background:#f2f4f8;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem;overflow:auto}
h1{margin-bottom:.2rem}.muted{color:#5b6478}
</style></head><body>
<h1>Herald</h1>
<p class="muted">Long-running operations with signed, event-driven webhooks.</p>
<p>The server is up. Use the API with your key (printed when the server started, and saved in the data directory as <code>api-key</code>):</p>
<pre>curl -s $HERALD_URL/v1beta/webhooks -H "x-goog-api-key: $HERALD_API_KEY"</pre>
<ul>
<li><a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a></li>
</ul>
</body></html>`;

/** The landing page at `/`: where to go next. */
export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
};
