import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey, newApiKey } from '../keys/api-key.js';
import { sortableId } from '../kernel/sortable-id.js';
import type { Store } from '../ports/store.js';

export const DEFAULT_PROJECT_ID = 'default';
const KEY_FILE = 'api-key';

/**
 * Makes sure the default project exists and has an API key: `HERALD_API_KEY` when set, else the
 * key saved in `<dataDir>/api-key`, else a new one written there (mode 0600). Returns the key so
 * the start banner can print it. Only its SHA-256 hash is stored in the database.
 */
export async function bootstrapDefaultProject(
  store: Store,
  opts: { apiKey: string | undefined; dataDir: string | undefined; now: number },
): Promise<{ projectId: string; apiKey: string; generated: boolean }> {
  await store.ensureProject({ id: DEFAULT_PROJECT_ID, name: 'Default project', createdAt: opts.now });
  let apiKey = opts.apiKey;
  let generated = false;
  const file = opts.dataDir ? join(opts.dataDir, KEY_FILE) : undefined;
  if (apiKey === undefined && file && existsSync(file)) apiKey = readFileSync(file, 'utf8').trim();
  if (apiKey === undefined || apiKey === '') {
    apiKey = newApiKey();
    generated = true;
    if (file && opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, `${apiKey}\n`, { mode: 0o600 });
    }
  }
  const hash = hashApiKey(apiKey);
  if (!(await store.hasApiKeyHash(hash))) {
    await store.addApiKey(
      {
        id: sortableId('key_', opts.now),
        projectId: DEFAULT_PROJECT_ID,
        name: 'default',
        prefix: apiKey.slice(0, 7),
        createdAt: opts.now,
        revokedAt: null,
      },
      hash,
    );
  }
  return { projectId: DEFAULT_PROJECT_ID, apiKey, generated };
}
