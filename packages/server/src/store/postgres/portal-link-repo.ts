import type { PortalLinkRepo } from '../../ports/portal-link-repo.js';
import { portalLinkUse, type PortalLinkRow } from '../shared/portal-link-use.js';
import type { PgContext } from './pg-context.js';

/** Portal links in PostgreSQL. */
export function pgPortalLinkRepo({ tx }: PgContext): PortalLinkRepo {
  return {
    async addPortalLink(l) {
      await tx((t) =>
        t.run('INSERT INTO portal_links (hash, project_id, created_at, expire_at) VALUES ($1, $2, $3, $4)', [
          l.hash,
          l.projectId,
          l.createdAt,
          l.expireAt,
        ]),
      );
    },
    async usePortalLink(hash, now) {
      return tx(async (t) => {
        const marked =
          (await t.run('UPDATE portal_links SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expire_at > $1', [
            now,
            hash,
          ])) === 1;
        const row = await t.one<PortalLinkRow>(
          'SELECT project_id, expire_at, used_at FROM portal_links WHERE hash = $1',
          [hash],
        );
        return portalLinkUse(row, marked, now);
      });
    },
  };
}
