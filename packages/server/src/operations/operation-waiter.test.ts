import { describe, expect, it } from 'vitest';
import type { OperationChange, OperationRecord, OperationState } from '../model/operation-records.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import { OperationWaiter, parseWait } from './operation-waiter.js';

/** Just enough of a store: one operation whose state the test changes, with notifications. */
function fakeStore(initial: OperationState) {
  let state: OperationState | undefined = initial;
  const listeners = new Set<(c: OperationChange) => void>();
  const store = {
    getOperation: async () => (state === undefined ? undefined : ({ state } as OperationRecord)),
    subscribeOperations: (l: (c: OperationChange) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as OperationRepo;
  const change = (to: OperationState | 'deleted', name = 'operations/a') => {
    state = to === 'deleted' ? undefined : to;
    for (const l of listeners) l({ projectId: 'p', name, kind: 'etl', state: to });
  };
  return { store, change, listeners };
}

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('OperationWaiter', () => {
  it('wakes on a final state of that operation only, and unsubscribes', async () => {
    const { store, change, listeners } = fakeStore('pending');
    const waiter = new OperationWaiter(store);
    const wait = waiter.waitUntilDone('p', 'operations/a', 60_000);
    expect(await settled(wait)).toBe(false);
    change('running');
    change('succeeded', 'operations/other');
    expect(await settled(wait)).toBe(false);
    change('failed');
    expect(await settled(wait)).toBe(true);
    expect(listeners.size).toBe(0);
  });

  it('returns at once when already done or gone; releaseAll ends every wait (shutdown)', async () => {
    expect(
      await settled(new OperationWaiter(fakeStore('cancelled').store).waitUntilDone('p', 'operations/a', 60_000)),
    ).toBe(true);
    const { store } = fakeStore('running');
    const waiter = new OperationWaiter(store);
    const a = waiter.waitUntilDone('p', 'operations/a', 60_000);
    const b = waiter.waitUntilDone('p', 'operations/a', 60_000);
    expect(await settled(a)).toBe(false);
    waiter.releaseAll();
    expect(await settled(a)).toBe(true);
    expect(await settled(b)).toBe(true);
  });

  it('ends on deletion and on abort', async () => {
    const { store, change } = fakeStore('running');
    const waiter = new OperationWaiter(store);
    const deleted = waiter.waitUntilDone('p', 'operations/a', 60_000);
    await settled(deleted);
    change('deleted');
    expect(await settled(deleted)).toBe(true);
    const controller = new AbortController();
    const { store: s2 } = fakeStore('running');
    const aborted = new OperationWaiter(s2).waitUntilDone('p', 'operations/a', 60_000, controller.signal);
    await settled(aborted);
    controller.abort();
    expect(await settled(aborted)).toBe(true);
  });

  it('parses wait durations and caps them at 60 s', () => {
    expect(parseWait(undefined)).toBe(0);
    expect(parseWait('30s')).toBe(30_000);
    expect(parseWait('1.5s')).toBe(1500);
    expect(parseWait('500ms')).toBe(500);
    expect(parseWait('10')).toBe(10_000);
    expect(parseWait('5m')).toBe(60_000);
    expect(() => parseWait('soon')).toThrow(/wait must be a duration/);
  });
});
