import { drainQueue } from './drain-queue.js';
import { HeraldHost } from './herald-host.js';
import { nowMs } from './time.js';

export interface StoreCost {
  deliveries: number;
  /** CPU (user + system) per delivery, µs: emit, lease and record, nothing sent. */
  cpuUsPerDelivery: number;
  perSec: number;
}

/**
 * What Herald's persistence alone costs per delivery, with no HTTP on either side: the engine is
 * stopped, `events` events are emitted in process (one delivery each, `concurrency` in flight, as
 * the throughput runs do), then leased with `claimDue` in batches of 64 and recorded as succeeded
 * with `completeAttempt`, exactly the three store calls the engine makes per delivery.
 */
export async function storeCost(events: number, endpoints: number, concurrency: number): Promise<StoreCost> {
  const host = await HeraldHost.start();
  try {
    const { herald } = host;
    await herald.engine.stop();
    const types = await host.idleWebhooks(endpoints, 's');
    const cpu = process.cpuUsage();
    const started = nowMs();
    await host.emitSpread(types, events, concurrency);
    const done = await drainQueue(herald.store, 'store-cost');
    const elapsedMs = nowMs() - started;
    const used = process.cpuUsage(cpu);
    return {
      deliveries: done,
      cpuUsPerDelivery: Math.round((used.user + used.system) / Math.max(1, done)),
      perSec: Math.round((done / elapsedMs) * 1000),
    };
  } finally {
    await host.close();
  }
}
