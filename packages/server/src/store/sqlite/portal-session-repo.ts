import type { PortalSessionRepo } from '../../ports/portal-session-repo.js';
import {
  PORTAL_SESSION_SQL as SQL,
  portalSessionFromRow,
  toSqlitePlaceholders as q,
  type PortalSessionRow,
} from '../shared/portal-session-row.js';
import type { SqliteContext } from './sqlite-context.js';

/** Portal sessions in SQLite. */
export function sqlitePortalSessionRepo({ db, commits }: SqliteContext): PortalSessionRepo {
  return {
    async addPortalSession(s) {
      commits.tx(() => {
        db.prepare(q(SQL.purge)).run(s.createdAt);
        db.prepare(q(SQL.insert)).run(s.hash, s.projectId, s.createdAt, s.expireAt);
      });
    },
    async getPortalSession(hash, now) {
      return portalSessionFromRow(db.prepare<[string, number], PortalSessionRow>(q(SQL.get)).get(hash, now));
    },
    async extendPortalSession(hash, expireAt) {
      commits.tx(() => db.prepare(q(SQL.extend)).run(expireAt, hash));
    },
  };
}
