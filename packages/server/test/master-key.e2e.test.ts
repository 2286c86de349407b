import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnHerald } from '../src/testing/spawn-herald.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Every process on one database must share the master key that sealed its secrets and signing
 * keys. A process started with another one refuses to start, saying what to fix, instead of
 * failing later at every signature.
 */
const backends = await testBackends('master key check');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

const newKey = () => randomBytes(32).toString('base64');
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'herald-masterkey-'));
  dirs.push(d);
  return d;
};
let running: TestHerald[] = [];

afterEach(async () => {
  for (const h of running.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const MISMATCH = /differs from the one this database was sealed with: .*Use the same key on every process/;

describe.each(backends)('master key check: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
    running = [];
  });

  it('starts again with the same HERALD_MASTER_KEY and refuses another one', async () => {
    const dir = dataDir();
    const key = newKey();
    const first = await startTestHerald({ dataDir: dir, config: { masterKey: key } });
    const kids = (await first.herald.signingKeys.published()).map((k) => k.kid);
    await first.close();

    const again = await startTestHerald({ dataDir: dir, config: { masterKey: key } });
    running.push(again);
    expect((await again.herald.signingKeys.published()).map((k) => k.kid)).toEqual(kids);
    await again.close();
    running = [];

    await expect(startTestHerald({ dataDir: dir, config: { masterKey: newKey() } })).rejects.toThrow(
      new RegExp(`^HERALD_MASTER_KEY ${MISMATCH.source}`),
    );
  });

  it('names the key file when the key was generated for this process rather than shared', async () => {
    // A key generated into the data directory, not the suite's shared one.
    const first = await startTestHerald({ dataDir: dataDir(), config: { masterKey: undefined } });
    running.push(first);
    // SQLite: the database file stays, its key file is replaced. PostgreSQL: a second process
    // with its own data directory (and so its own generated key) joins the same database.
    let dir = first.dataDir;
    if (b.name === 'sqlite') {
      await first.close();
      running = [];
      writeFileSync(join(dir, 'master.key'), `${newKey()}\n`);
    } else dir = dataDir();
    const refused = startTestHerald({ dataDir: dir, config: { masterKey: undefined } });
    await expect(refused).rejects.toThrow(MISMATCH);
    await expect(refused).rejects.toThrow(`The master key in ${join(dir, 'master.key')}`);
    await expect(refused).rejects.toThrow(/set HERALD_MASTER_KEY/);
  });
});

describe('herald serve with another master key', () => {
  it('exits 2 before listening, with the message on stderr', async () => {
    const dir = dataDir();
    const first = await startHerald({ dataDir: dir, config: { masterKey: newKey() } });
    await first.close();
    await expect(spawnHerald({ HERALD_DATA_DIR: dir, HERALD_MASTER_KEY: newKey() })).rejects.toThrow(
      /herald exited \(2\) before listening:\n[^]*herald: HERALD_MASTER_KEY differs from the one this database was sealed with/,
    );
  }, 60_000);
});
