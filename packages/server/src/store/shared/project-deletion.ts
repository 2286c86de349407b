/**
 * Everything a project owns, in the order a delete must remove it (children before the rows their
 * foreign keys reference). Each entry is a `DELETE … WHERE` condition on the project id (`?`: the
 * dialect's placeholder). `webhook_generations` goes after `webhooks`: deleting a webhook bumps it.
 */
export const PROJECT_DELETION: readonly { table: string; where: string }[] = [
  { table: 'attempts', where: 'delivery_id IN (SELECT id FROM deliveries WHERE project_id = ?)' },
  { table: 'deliveries', where: 'project_id = ?' },
  { table: 'destinations', where: 'project_id = ?' },
  { table: 'webhook_secrets', where: 'webhook_id IN (SELECT id FROM webhooks WHERE project_id = ?)' },
  { table: 'webhooks', where: 'project_id = ?' },
  { table: 'webhook_generations', where: 'project_id = ?' },
  { table: 'events', where: 'project_id = ?' },
  { table: 'operations', where: 'project_id = ?' },
  { table: 'files', where: 'project_id = ?' },
  { table: 'api_keys', where: 'project_id = ?' },
  { table: 'portal_links', where: 'project_id = ?' },
  { table: 'portal_sessions', where: 'project_id = ?' },
  { table: 'projects', where: 'id = ?' },
];

/** One statement per table, with the dialect's placeholder for the project id. */
export function projectDeletionStatements(placeholder: string): string[] {
  return PROJECT_DELETION.map(({ table, where }) => `DELETE FROM ${table} WHERE ${where.replace('?', placeholder)}`);
}
