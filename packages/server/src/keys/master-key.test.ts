import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateMasterKey } from './master-key.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-master-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateMasterKey', () => {
  it('decodes a base64 env value (standard, URL-safe, unpadded) without touching the disk', () => {
    const raw = randomBytes(32);
    const dataDir = join(tempDir(), 'never-created');
    for (const env of [raw.toString('base64'), raw.toString('base64url'), ` ${raw.toString('base64')}\n`]) {
      expect(Buffer.from(loadOrCreateMasterKey({ env, dataDir }))).toEqual(raw);
    }
    expect(() => statSync(dataDir)).toThrow();
  });

  it('decodes a hex env value', () => {
    const raw = randomBytes(32);
    expect(Buffer.from(loadOrCreateMasterKey({ env: raw.toString('hex'), dataDir: tempDir() }))).toEqual(raw);
  });

  it('rejects env values of the wrong length or encoding with a clear message', () => {
    const dataDir = tempDir();
    expect(() => loadOrCreateMasterKey({ env: randomBytes(16).toString('base64'), dataDir })).toThrow(
      /HERALD_MASTER_KEY: master key must be 32 bytes .* got 16 bytes/,
    );
    expect(() => loadOrCreateMasterKey({ env: 'not a key!', dataDir })).toThrow(/neither base64 nor hex/);
  });

  it('generates a key file with mode 0600 (creating the directory) and reads it back', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = loadOrCreateMasterKey({ dataDir });
    expect(first).toHaveLength(32);
    const file = join(dataDir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(Buffer.from(first));
    expect(loadOrCreateMasterKey({ dataDir })).toEqual(first);
    expect(loadOrCreateMasterKey({ env: '', dataDir })).toEqual(first);
  });

  it('rejects a key file of the wrong length, naming the file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'master.key'), randomBytes(31).toString('base64'));
    expect(() => loadOrCreateMasterKey({ dataDir })).toThrow(/master\.key: master key must be 32 bytes .* got 31/);
  });
});
