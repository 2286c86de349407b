import type { FastifyReply } from 'fastify';
import type { OperationService } from '../operations/operation-service.js';
import { parseWait, type OperationWaiter } from '../operations/operation-waiter.js';
import type { OperationRecord } from '../model/operation-records.js';

/** Aborts when the client goes away or the response is sent. */
export function replySignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * `GET <operation>?wait=30s`: answers at once when the operation is done or no wait was asked;
 * otherwise as soon as it is done, or when the wait (at most 60 s) ends, with its current state.
 */
export async function readOperation(
  deps: { operations: OperationService; waiter: OperationWaiter },
  projectId: string,
  name: string,
  wait: string | undefined,
  reply: FastifyReply,
): Promise<OperationRecord> {
  const ms = parseWait(wait);
  if (ms > 0) {
    await deps.operations.get(projectId, name); // 404 at once for an unknown name
    await deps.waiter.waitUntilDone(projectId, name, ms, replySignal(reply));
  }
  return deps.operations.get(projectId, name);
}
