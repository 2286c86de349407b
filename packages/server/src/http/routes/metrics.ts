import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';

/** `GET /metrics` in the Prometheus text format (no API key: bind it to a private interface). */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
};
