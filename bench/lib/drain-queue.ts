import type { Herald } from '@herald/server';

type Store = Herald['store'];
type CompleteAttemptInput = Parameters<Store['completeAttempt']>[0];
type ClaimedDelivery = Awaited<ReturnType<Store['claimDue']>>['deliveries'][number];

/** Wraps each lease (`claimDue`) and each batch of records (`completeAttempt`), e.g. to time it. */
export type DrainPhase = <T>(phase: 'lease' | 'record', run: () => Promise<T>) => Promise<T>;

/** The record of a first attempt that succeeded, as the engine would make it (nothing was sent). */
function succeeded(delivery: ClaimedDelivery, now: number): CompleteAttemptInput {
  return {
    delivery,
    attempt: {
      deliveryId: delivery.id,
      number: 1,
      trigger: 'scheduled',
      startedAt: now,
      durationMs: 1,
      statusCode: 200,
      errorCode: null,
      errorMessage: null,
      responseExcerpt: 'ok',
    },
    outcome: { status: 'succeeded' },
    now,
  };
}

/**
 * Drains the store's queue as the engine would with nothing sent: leases every due delivery 64 at
 * a time (no cap per destination) and records each as a succeeded first attempt, until a claim
 * comes back empty. `phase` wraps every lease and every batch of records. Returns the count.
 */
export async function drainQueue(
  store: Pick<Store, 'claimDue' | 'completeAttempt'>,
  owner: string,
  phase: DrainPhase = (_name, run) => run(),
): Promise<number> {
  let done = 0;
  for (;;) {
    const now = Date.now();
    const batch = await phase('lease', () =>
      store
        .claimDue({ now, limit: 64, maxPerDestination: 1_000_000, leaseMs: 60_000, owner })
        .then((r) => r.deliveries),
    );
    if (batch.length === 0) return done;
    await phase('record', () => Promise.all(batch.map((d) => store.completeAttempt(succeeded(d, now)))));
    done += batch.length;
  }
}
