import { HeraldHost } from '../lib/herald-host.js';
import { Receivers } from '../lib/receivers.js';
import type { HeraldConfig } from '@herald/server';

/** Formats milliseconds for the table. */
export function ms(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${v.toFixed(v >= 10 ? 1 : 2)} ms`;
}

export function num(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

export function times(v: number): string {
  return `${v >= 10 ? Math.round(v) : v.toFixed(2)}×`;
}

export function pct(v: number): string {
  return `${Math.round(v * 100)} %`;
}

export interface Topology {
  host: HeraldHost;
  rx: Receivers;
  /** One webhook per receiver endpoint, subscribed to `types[i]`. */
  types: string[];
  close(): Promise<void>;
}

/**
 * A Herald and a receiver child process (or `opts.receivers`) with `endpoints` endpoints, one static webhook per endpoint
 * subscribed to `${prefix}${i}`, each endpoint told its webhook's secret so every POST is verified.
 */
export async function startTopology(
  endpoints: number,
  prefix: string,
  opts: { record: boolean; config?: Partial<HeraldConfig>; receivers?: Receivers },
): Promise<Topology> {
  const owned = opts.receivers === undefined;
  const rx = opts.receivers ?? (await Receivers.start(endpoints, { record: opts.record }));
  let host: HeraldHost | undefined;
  try {
    host = await HeraldHost.start(opts.config ?? {});
    const types: string[] = [];
    for (let i = 0; i < endpoints; i++) {
      const type = `${prefix}${i}`;
      const w = await host.createWebhook(rx.urls[i]!, [type], `${prefix}${i}`);
      await rx.configure(i, { secret: w.secret });
      types.push(type);
    }
    const h = host;
    return {
      host: h,
      rx,
      types,
      async close() {
        await h.close();
        if (owned) await rx.close();
      },
    };
  } catch (err) {
    await host?.close();
    if (owned) await rx.close();
    throw err;
  }
}
