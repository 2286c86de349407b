import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/ports/store.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../src/testing/pg-scratch.js';

/**
 * Issue #14's correctness test for event order without a row lock (ADR 0012): four processes
 * emit into one project of one PostgreSQL database at once while this process pages the event log
 * with `after=` cursors, as a client does. The reader must see every event exactly once, in
 * increasing sequence, and a second read from the start must give the same order.
 */
const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`event log order: PostgreSQL runs skipped: ${pg.reason}`);

const PROCESSES = 4;
const EACH = Number(process.env.HERALD_ORDER_EVENTS ?? 400);
const BURST = fileURLToPath(new URL('./support/emit-burst.ts', import.meta.url));

function emitter(url: string, tag: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--conditions=@herald/source', '--import', 'tsx', BURST, url, String(EACH), tag],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const guard = () => child.kill('SIGKILL');
  process.once('exit', guard);
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      process.off('exit', guard);
      if (code === 0) resolve(out);
      else reject(new Error(`emitter ${tag} exited ${code}: ${out}`));
    }),
  );
}

async function readAll(store: Store, after: number, pageSize: number) {
  const out: { id: string; sequence: number }[] = [];
  for (let cursor = after; ;) {
    const page = await store.listEvents('p1', { afterSequence: cursor, pageSize });
    out.push(...page.map((e) => ({ id: e.id, sequence: e.sequence })));
    if (page.length < pageSize) return out;
    cursor = page[page.length - 1]!.sequence;
  }
}

describe.skipIf(!pg.ok)('PostgreSQL event log under concurrent emitters', () => {
  let scratch: ScratchDatabase | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it(`4 processes × ${EACH} events: a paging reader sees each exactly once, in a stable order`, async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 4 });
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: Date.now() });

    const seen: { id: string; sequence: number }[] = [];
    let cursor = 0;
    let finished = false;
    const emitters = Promise.all(Array.from({ length: PROCESSES }, (_, i) => emitter(scratch!.url, `e${i}`))).finally(
      () => (finished = true),
    );
    // Page while they emit, small pages, as fast as the reader can; then drain what is left.
    for (;;) {
      const done = finished;
      const page = await store.listEvents('p1', { afterSequence: cursor, pageSize: 7 });
      for (const e of page) {
        seen.push({ id: e.id, sequence: e.sequence });
        cursor = e.sequence;
      }
      if (done && page.length === 0) break;
    }
    const outputs = await emitters;
    expect(outputs.map((o) => o.trim())).toEqual(Array.from({ length: PROCESSES }, () => `done ${EACH}`));

    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length); // never twice
    expect(ids).toHaveLength(PROCESSES * EACH); // never skipped
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.sequence).toBeGreaterThan(seen[i - 1]!.sequence);
    // A second reader from the start, other page size: the same events in the same order.
    expect((await readAll(store, 0, 100)).map((e) => e.id)).toEqual(ids);
  });
});
