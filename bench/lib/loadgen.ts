import { forkHelper, IpcClient } from './child.js';
import type { LoadgenReply, LoadgenRequest } from './loadgen-protocol.js';

export type LoadgenResult = Extract<LoadgenReply, { ok: true }>;

/** Runs one HTTP ingest burst from a child process (see `loadgen-process.ts`). */
export async function postEventsFromChild(req: Omit<LoadgenRequest, 'id'>): Promise<LoadgenResult> {
  const ipc = new IpcClient<LoadgenRequest, LoadgenReply>(forkHelper('./loadgen-process.ts'));
  try {
    return await ipc.call<LoadgenResult>(req);
  } finally {
    await ipc.stop();
  }
}
