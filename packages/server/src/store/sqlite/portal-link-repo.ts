import type { PortalLinkRepo } from '../../ports/portal-link-repo.js';
import { portalLinkUse, type PortalLinkRow } from '../shared/portal-link-use.js';
import type { SqliteContext } from './sqlite-context.js';

/** Portal links in SQLite. */
export function sqlitePortalLinkRepo({ db, commits }: SqliteContext): PortalLinkRepo {
  return {
    async addPortalLink(l) {
      commits.tx(() =>
        db
          .prepare('INSERT INTO portal_links (hash, project_id, created_at, expire_at) VALUES (?, ?, ?, ?)')
          .run(l.hash, l.projectId, l.createdAt, l.expireAt),
      );
    },
    async usePortalLink(hash, now) {
      return commits.tx(() => {
        const marked =
          db
            .prepare('UPDATE portal_links SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expire_at > ?')
            .run(now, hash, now).changes === 1;
        const row = db
          .prepare<[string], PortalLinkRow>('SELECT project_id, expire_at, used_at FROM portal_links WHERE hash = ?')
          .get(hash);
        return portalLinkUse(row, marked, now);
      });
    },
  };
}
