import type { ProjectQuery } from '../../model/project-records.js';
import { PROJECT_COLUMNS } from '../rows/project-rows.js';

/**
 * The page query of `listProjects`: oldest first by `(created_at, id)`, after the cursor, names
 * matching case-insensitively. `placeholder(n)` is the dialect's n-th (1-based) parameter.
 */
export function projectListQuery(
  q: ProjectQuery,
  placeholder: (n: number) => string,
): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const next = (v: string | number) => {
    params.push(v);
    return placeholder(params.length);
  };
  if (q.after) {
    const at = next(q.after.createdAt);
    const at2 = next(q.after.createdAt);
    where.push(`(created_at > ${at} OR (created_at = ${at2} AND id > ${next(q.after.id)}))`);
  }
  if (q.nameContains) {
    const escaped = q.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`lower(name) LIKE ${next(`%${escaped}%`)} ESCAPE '\\'`);
  }
  const sql =
    `SELECT ${PROJECT_COLUMNS} FROM projects` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY created_at, id LIMIT ${next(q.pageSize)}`;
  return { sql, params };
}
