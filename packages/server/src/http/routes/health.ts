import type { FastifyPluginAsync } from 'fastify';
import { HealthStatus } from '@herald/contracts';
import type { StoreLifecycle } from '../../ports/store-lifecycle.js';

/** `/healthz`: the process is up. `/readyz`: the store answers (migrations ran at open). No key needed. */
export const healthRoutes: FastifyPluginAsync<{
  store: Pick<StoreLifecycle, 'ping'>;
  isDraining: () => boolean;
}> = async (app, { store, isDraining }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness', response: { 200: HealthStatus } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: store reachable and migrated',
        response: { 200: HealthStatus, 503: HealthStatus },
      },
    },
    async (_req, reply) => {
      let ok: boolean;
      try {
        ok = !isDraining() && (await store.ping());
      } catch {
        ok = false;
      }
      return reply.code(ok ? 200 : 503).send(ok ? { status: 'ready' } : { status: 'unavailable' });
    },
  );
};
