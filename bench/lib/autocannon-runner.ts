import type { CannonReply, CannonRequest } from './autocannon-protocol.js';
import { forkHelper, IpcClient } from './child.js';

export type CannonResult = Extract<CannonReply, { ok: true }>;

/** autocannon in one child process (see `autocannon-process.ts`), reused for several runs. */
export class Cannon {
  readonly #ipc = new IpcClient<CannonRequest, CannonReply>(forkHelper('./autocannon-process.ts'));

  run(req: Omit<CannonRequest, 'id'>): Promise<CannonResult> {
    return this.#ipc.call<CannonResult>(req);
  }

  stop(): Promise<void> {
    return this.#ipc.stop();
  }
}
