import { forkHelper, IpcClient } from './child.js';
import type { Arrivals, EndpointMode, EndpointReport, ReceiverReply, ReceiverRequest } from './receiver-protocol.js';

type Ipc = IpcClient<ReceiverRequest, ReceiverReply>;
let shared: Ipc | undefined;

/** The receiver child process this bench process shares between scenarios (forked on first use). */
function receiverProcess(): Ipc {
  if (!shared || shared.child.exitCode !== null || shared.child.signalCode !== null) {
    shared = new IpcClient<ReceiverRequest, ReceiverReply>(forkHelper('./receiver-process.ts'));
  }
  return shared;
}

/**
 * A group of `count` endpoints in the receiver child process (see `receiver-process.ts`), each its
 * own 127.0.0.1 port. Indexes in this API are local to the group. `record` keeps every arrival's
 * sequence number and time for latency scenarios.
 */
export class Receivers {
  readonly urls: string[];
  readonly #ipc: Ipc;
  readonly #global: number[];

  private constructor(ipc: Ipc, base: number, urls: string[]) {
    this.#ipc = ipc;
    this.urls = urls;
    this.#global = urls.map((_, i) => base + i);
  }

  static async start(count: number, opts: { record: boolean }): Promise<Receivers> {
    const ipc = receiverProcess();
    const r = await ipc.call<{ id: number; ok: true; base: number; urls: string[] }>({
      op: 'start',
      endpoints: count,
      record: opts.record,
    });
    return new Receivers(ipc, r.base, r.urls);
  }

  /** Ends the shared receiver process (the harness calls this once at the end). */
  static async shutdown(): Promise<void> {
    const ipc = shared;
    shared = undefined;
    await ipc?.stop();
  }

  #g(index: number): number {
    const g = this.#global[index];
    if (g === undefined) throw new Error(`no endpoint ${index} in this group of ${this.#global.length}`);
    return g;
  }

  async configure(index: number, c: { secret?: string; mode?: EndpointMode }): Promise<void> {
    await this.#ipc.call({ op: 'configure', index: this.#g(index), ...c });
  }

  async setMode(indexes: number[], mode: EndpointMode): Promise<void> {
    await Promise.all(indexes.map((index) => this.configure(index, { mode })));
  }

  async reset(): Promise<void> {
    await this.#ipc.call({ op: 'reset', indexes: this.#global });
  }

  async report(arrivals = false): Promise<{ endpoints: EndpointReport[]; arrivals?: Arrivals }> {
    const r = await this.#ipc.call<{ id: number; ok: true; endpoints: EndpointReport[]; arrivals?: Arrivals }>({
      op: 'report',
      arrivals,
      indexes: this.#global,
    });
    const base = this.#global[0] ?? 0;
    return {
      endpoints: r.endpoints,
      ...(r.arrivals ? { arrivals: { ...r.arrivals, endpoint: r.arrivals.endpoint.map((e) => e - base) } } : {}),
    };
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

  /** Closes this group's endpoints (the shared process stays up for the next scenario). */
  async close(): Promise<void> {
    try {
      await this.#ipc.call({ op: 'close', indexes: this.#global });
    } catch {
      // already gone
    }
  }
}
