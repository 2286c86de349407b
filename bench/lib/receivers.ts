import { forkHelper, IpcClient } from './child.js';
import type { Arrivals, EndpointMode, EndpointReport, ReceiverReply, ReceiverRequest } from './receiver-protocol.js';

/**
 * Receivers in a child process (see `receiver-process.ts`): `count` endpoints, each its own
 * 127.0.0.1 port. `record` keeps every arrival's sequence number and time for latency scenarios.
 */
export class Receivers {
  readonly urls: string[];
  readonly #ipc: IpcClient<ReceiverRequest, ReceiverReply>;

  private constructor(ipc: IpcClient<ReceiverRequest, ReceiverReply>, urls: string[]) {
    this.#ipc = ipc;
    this.urls = urls;
  }

  static async start(count: number, opts: { record: boolean }): Promise<Receivers> {
    const ipc = new IpcClient<ReceiverRequest, ReceiverReply>(forkHelper('./receiver-process.ts'));
    const r = await ipc.call<{ id: number; ok: true; urls: string[] }>({
      op: 'start',
      endpoints: count,
      record: opts.record,
    });
    return new Receivers(ipc, r.urls);
  }

  get pid(): number | undefined {
    return this.#ipc.child.pid;
  }

  async configure(index: number, c: { secret?: string; mode?: EndpointMode }): Promise<void> {
    await this.#ipc.call({ op: 'configure', index, ...c });
  }

  async setMode(indexes: number[], mode: EndpointMode): Promise<void> {
    await Promise.all(indexes.map((index) => this.configure(index, { mode })));
  }

  async reset(): Promise<void> {
    await this.#ipc.call({ op: 'reset' });
  }

  async report(arrivals = false): Promise<{ endpoints: EndpointReport[]; arrivals?: Arrivals }> {
    const r = await this.#ipc.call<{ id: number; ok: true; endpoints: EndpointReport[]; arrivals?: Arrivals }>({
      op: 'report',
      arrivals,
    });
    return { endpoints: r.endpoints, ...(r.arrivals ? { arrivals: r.arrivals } : {}) };
  }

  /** Sum of every endpoint's counters. */
  async totals(): Promise<EndpointReport> {
    const { endpoints } = await this.report(false);
    return endpoints.reduce(
      (a, e) => ({
        received: a.received + e.received,
        verified: a.verified + e.verified,
        invalid: a.invalid + e.invalid,
        duplicates: a.duplicates + e.duplicates,
        firstAt: a.firstAt === 0 ? e.firstAt : e.firstAt === 0 ? a.firstAt : Math.min(a.firstAt, e.firstAt),
        lastAt: Math.max(a.lastAt, e.lastAt),
      }),
      { received: 0, verified: 0, invalid: 0, duplicates: 0, firstAt: 0, lastAt: 0 },
    );
  }

  async close(): Promise<void> {
    try {
      await this.#ipc.call({ op: 'close' });
    } catch {
      // already gone
    }
    await this.#ipc.stop();
  }
}
