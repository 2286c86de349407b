import { createHash } from 'node:crypto';

/**
 * The fairness unit of the engine. A static webhook is its own destination; a dynamic URI is
 * one destination per project and URI, whatever operation it came from.
 */
export function destinationId(dest: { webhookId: string } | { projectId: string; uri: string }): string {
  if ('webhookId' in dest) return `wh:${dest.webhookId}`;
  const digest = createHash('sha256').update(`${dest.projectId}\n${dest.uri}`).digest('base64url').slice(0, 32);
  return `uri:${digest}`;
}
