import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { loadOrCreateMasterKey } from '../src/keys/master-key.js';
import { createSecretBox } from '../src/keys/secret-box.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * What a copy of the data directory's database gives away: no signing secret and no API key in
 * clear. Signing secrets are sealed with AES-256-GCM under the master key Herald generated into
 * the data dir (HERALD_MASTER_KEY unset); API keys are kept as their SHA-256.
 */
let herald: TestHerald | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await herald?.close();
  herald = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every byte SQLite keeps for this database: the main file, the WAL and any journal. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('herald.db'))
      .map((f) => readFileSync(join(dir, f))),
  );
}

function expectAbsent(bytes: Buffer, secrets: string[]): void {
  for (const s of secrets) {
    expect(bytes.includes(Buffer.from(s)), `${s.slice(0, 10)}… in the database files`).toBe(false);
    if (s.startsWith('whsec_')) {
      const raw = Buffer.from(s.slice('whsec_'.length), 'base64');
      expect(bytes.includes(Buffer.from(s.slice('whsec_'.length)))).toBe(false);
      expect(bytes.includes(raw), 'raw secret bytes in the database files').toBe(false);
    }
  }
}

it('stores signing secrets sealed under the generated master key and API keys as hashes only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-at-rest-'));
  dirs.push(dir);
  herald = await startTestHerald({ dataDir: dir, config: { masterKey: undefined } });
  const created = await herald.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
    uri: 'http://127.0.0.1:9/hooks',
    subscribed_events: ['batch.succeeded'],
  });
  expect(created.status).toBe(200);
  const rotated = await herald.api<{ secret: string }>(
    'POST',
    `/v1beta/webhooks/${created.body.id}:rotateSigningSecret`,
    {},
  );
  expect(rotated.status).toBe(200);
  const secrets = [created.body.new_signing_secret, rotated.body.secret];
  const apiKey = herald.apiKey;

  // While running (the WAL holds the recent writes) and after a clean close (checkpointed).
  expectAbsent(databaseBytes(dir), [...secrets, apiKey]);
  await herald.close();
  herald = undefined;
  expectAbsent(databaseBytes(dir), [...secrets, apiKey]);

  // HERALD_MASTER_KEY unset: a key was generated into the data dir, readable by its owner only.
  expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
  const box = createSecretBox(loadOrCreateMasterKey({ dataDir: dir }));
  const wrongBox = createSecretBox(new Uint8Array(32));

  const db = new Database(join(dir, 'herald.db'), { readonly: true });
  try {
    const sealed = db
      .prepare<[string], { sealed: string; truncated: string }>(
        'SELECT sealed, truncated FROM webhook_secrets WHERE webhook_id = ? ORDER BY created_at, id',
      )
      .all(created.body.id);
    expect(sealed).toHaveLength(2);
    for (const row of sealed) {
      expect(row.sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/); // version . 12-byte nonce . ciphertext‖tag
      expect(() => wrongBox.open(row.sealed)).toThrow();
    }
    expect(sealed.map((r) => box.open(r.sealed)).sort()).toEqual([...secrets].sort());
    expect(sealed.map((r) => r.truncated).sort()).toEqual(secrets.map((s) => `whsec_...${s.slice(-4)}`).sort());

    const keys = db.prepare<[], { hash: string; prefix: string }>('SELECT hash, prefix FROM api_keys').all();
    expect(keys).toEqual([{ hash: createHash('sha256').update(apiKey).digest('hex'), prefix: apiKey.slice(0, 7) }]);
  } finally {
    db.close();
  }
});
