import type { PortalSessionRepo } from '../../ports/portal-session-repo.js';
import {
  PORTAL_SESSION_SQL as SQL,
  portalSessionFromRow,
  type PortalSessionRow,
} from '../shared/portal-session-row.js';
import type { PgContext } from './pg-context.js';

/** Portal sessions in PostgreSQL. */
export function pgPortalSessionRepo({ tx, reader }: PgContext): PortalSessionRepo {
  return {
    async addPortalSession(s) {
      await tx(async (t) => {
        await t.run(SQL.purge, [s.createdAt]);
        await t.run(SQL.insert, [s.hash, s.projectId, s.createdAt, s.expireAt]);
      });
    },
    async getPortalSession(hash, now) {
      return portalSessionFromRow(await reader.one<PortalSessionRow>(SQL.get, [hash, now]));
    },
    async extendPortalSession(hash, expireAt) {
      await tx((t) => t.run(SQL.extend, [expireAt, hash]));
    },
  };
}
