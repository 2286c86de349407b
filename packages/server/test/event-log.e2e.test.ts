import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('event log polling');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

let herald: TestHerald | undefined;
afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

type LoggedEvent = { id: string; type: string; sequence: number; operation?: string; payload: { data: unknown } };
type Page = { events: LoggedEvent[]; next_page_token?: string };

const page = async (h: TestHerald, query: string) => {
  const res = await h.api<Page>('GET', `/v1beta/events${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** Custom operations through their whole lifecycle: the events a polling client reads. */
async function runOperations(h: TestHerald, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const op = (await h.api<{ id: string; name: string }>('POST', '/v1beta/operations', { kind: 'etl' })).body;
    names.push(op.name);
    const [leased] = (
      await h.api<{ operations: { lease_id: string }[] }>('POST', '/v1beta/operations:lease', { kinds: ['etl'] })
    ).body.operations;
    await h.api('POST', `/v1beta/operations/${op.id}:progress`, { lease_id: leased!.lease_id, percent: 50 });
    if (i % 2 === 0) await h.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: leased!.lease_id });
    else await h.api('POST', `/v1beta/operations/${op.id}:cancel`);
  }
  return names;
}

describe.each(backends)('GET /v1beta/events?after=&types= (polling the event log): $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('pages through the log in sequence order by the after cursor, without gaps or repeats', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const names = await runOperations(herald, 3);
    const all = (await page(herald, '')).events;
    const s = all.map((e) => e.sequence);
    // Increasing: 1, 2, 3 … on SQLite; large and gapped on PostgreSQL (ADR 0012).
    expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(new Set(s).size).toBe(6);
    if (b.name === 'sqlite') expect(s).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.map((e) => [e.type, e.operation])).toEqual([
      ['operation.progress', names[0]],
      ['operation.succeeded', names[0]],
      ['operation.progress', names[1]],
      ['operation.cancelled', names[1]],
      ['operation.progress', names[2]],
      ['operation.succeeded', names[2]],
    ]);

    // A client that saved its cursor reads on from there, a page at a time.
    const seen: number[] = [];
    let after = s[1]!;
    for (;;) {
      const p = await page(herald, `?after=${after}&page_size=2`);
      if (p.events.length === 0) break;
      seen.push(...p.events.map((e) => e.sequence));
      after = p.events.at(-1)!.sequence;
    }
    expect(seen).toEqual(s.slice(2));

    // Events committed later appear after the cursor already reached.
    await runOperations(herald, 1);
    const later = (await page(herald, `?after=${after}`)).events.map((e) => e.sequence);
    expect(later).toHaveLength(2);
    expect(later[0]).toBeGreaterThan(after);
    if (b.name === 'sqlite') expect(later).toEqual([7, 8]);
  });

  it('filters by types, and next_page_token continues a full page', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const names = await runOperations(herald, 5);
    const types = 'operation.succeeded,operation.cancelled';
    const first = await page(herald, `?after=0&types=${types}&page_size=3`);
    expect(first.events.map((e) => e.type)).toEqual([
      'operation.succeeded',
      'operation.cancelled',
      'operation.succeeded',
    ]);
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = await page(herald, `?types=${types}&page_size=3&page_token=${first.next_page_token}`);
    expect(second.events.map((e) => e.operation)).toEqual([names[3], names[4]]);
    expect(second.next_page_token).toBeUndefined();
    const progress = await page(herald, '?types=operation.progress');
    expect(progress.events).toHaveLength(5);
    expect(progress.events.every((e) => e.type === 'operation.progress')).toBe(true);
  });

  it('rejects a bad cursor with a clear 400', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const bad = await herald.api<{ error: { status: string; message: string } }>('GET', '/v1beta/events?after=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: 'after must be an event sequence number, got "soon"',
    });
  });
});

describe('POST /v1beta/events with a catalog type', () => {
  it('checks data against the catalog: a 400 names the missing field; complete data is accepted', async () => {
    backend = backends[0]!;
    await backend.reset();
    herald = await startTestHerald({ clock: new ManualClock() });
    type Err = { error: { code: number; status: string; message: string } };
    const empty = await herald.api<Err>('POST', '/v1beta/events', { type: 'operation.succeeded', data: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(empty.body.error.message).toMatch(/^data\.id is required for operation\.succeeded events/);
    const noKind = await herald.api<Err>('POST', '/v1beta/events', {
      type: 'operation.succeeded',
      data: { id: 'operations/x' },
    });
    expect(noKind.body.error.message).toMatch(/^data\.kind is required/);
    const badCode = await herald.api<Err>('POST', '/v1beta/events', {
      type: 'batch.failed',
      data: { id: 'batches/b', error_code: true, error_message: 'x' },
    });
    expect(badCode.body.error.message).toBe('data.error_code of a batch.failed event must be a string or number');
    const ok = await herald.api('POST', '/v1beta/events', {
      type: 'operation.succeeded',
      data: { id: 'operations/x', kind: 'etl', result: { url: 'u' } },
    });
    expect(ok.status).toBe(200);
    const custom = await herald.api('POST', '/v1beta/events', { type: 'invoice.ready', data: {} });
    expect(custom.status).toBe(200);
  });
});
