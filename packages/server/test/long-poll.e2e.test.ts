import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let herald: TestHerald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

type Op = { name: string; id: string; state: string; done: boolean; lease_id?: string };

describe('long-poll: GET <operation>?wait=', () => {
  it('answers as soon as the operation is done: woken by the transition, not by polling', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const h = herald;
    const op = (await h.api<Op>('POST', '/v1beta/operations', { kind: 'etl' })).body;
    const order: string[] = [];
    const polling = h.api<Op>('GET', `/v1beta/operations/${op.id}?wait=60s`).then((r) => {
      order.push('long-poll answered');
      return r;
    });
    // Leasing is a change but not the end: the long-poll keeps waiting.
    const leased = (await h.api<{ operations: Op[] }>('POST', '/v1beta/operations:lease', { kinds: ['etl'] })).body
      .operations[0]!;
    await h.api('POST', `/v1beta/operations/${op.id}:progress`, { lease_id: leased.lease_id, percent: 50 });
    expect(order).toEqual([]);
    order.push('completed');
    await h.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: leased.lease_id, result: { n: 1 } });
    const res = await polling;
    expect(order).toEqual(['completed', 'long-poll answered']);
    expect(res.body).toMatchObject({ state: 'succeeded', done: true, result: { n: 1 } });
  });

  it('answers at once for a finished operation, and with the current state when the wait ends', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const h = herald;
    const op = (await h.api<Op>('POST', '/v1beta/operations', { kind: 'etl' })).body;
    const short = await h.api<Op>('GET', `/v1beta/operations/${op.id}?wait=50ms`);
    expect(short.body).toMatchObject({ state: 'pending', done: false });
    await h.api('POST', `/v1beta/operations/${op.id}:cancel`);
    const done = await h.api<Op>('GET', `/v1beta/operations/${op.id}?wait=60s`);
    expect(done.body).toMatchObject({ state: 'cancelled', done: true });
  });

  it('deleting the operation ends the wait with 404', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const h = herald;
    const batch = (
      await h.api<{ name: string }>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
        batch: { input_config: { requests: { requests: [{ request: {} }] } } },
      })
    ).body;
    const waiting = h.api('GET', `/v1beta/${batch.name}?wait=60s`);
    await h.api('DELETE', `/v1beta/${batch.name}`);
    expect((await waiting).status).toBe(404);
  });
});
