import type { FastifyPluginAsync } from 'fastify';
import { HealthStatus } from '@herald/contracts';
import type { StoreLifecycle } from '../../ports/store-lifecycle.js';
import type { DiskFullSignal } from '../disk-full.js';

export interface HealthRoutesOptions {
  store: Pick<StoreLifecycle, 'ping'>;
  isDraining: () => boolean;
  /** Writes refused for a full disk (PostgreSQL's disk is known only by the writes it refuses). */
  diskFull: Pick<DiskFullSignal, 'recently'>;
  /** Why the data dir cannot serve now (SQLite: database deleted, disk full), or undefined. */
  dataDirProblem?: () => string | undefined;
}

/**
 * `/healthz`: the process is up. `/readyz`: the store answers (migrations ran at open), its
 * disk is not full and (SQLite) its file is still there. No key needed.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (
  app,
  { store, isDraining, diskFull, dataDirProblem },
) => {
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
        // SQLite measures its disk (and file); PostgreSQL's disk is known by the writes it refuses.
        const problem = dataDirProblem ? dataDirProblem() !== undefined : diskFull.recently();
        ok = !isDraining() && !problem && (await store.ping());
      } catch {
        ok = false;
      }
      return reply.code(ok ? 200 : 503).send(ok ? { status: 'ready' } : { status: 'unavailable' });
    },
  );
};
