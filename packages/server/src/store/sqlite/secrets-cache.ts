import type { SecretRecord } from '../../model/records.js';
import { LruMap } from '../../kernel/lru-map.js';

/**
 * Every signing secret of a webhook (expired ones included: a read filters by its own `now`), in
 * memory, so signing an attempt reads no rows (it was a query and a sort per attempt, 3.5 % of the
 * process under HTTP ingest). Exact because one process owns a SQLite data dir: every write of
 * `webhook_secrets` happens here, and the repositories that write forget what they touched
 * (a webhook's rotation or deletion, a project's deletion). Bounded: the least recently used
 * webhook is dropped beyond `maxWebhooks`.
 */
export class SecretsCache {
  readonly #entries: LruMap<string, readonly SecretRecord[]>;

  constructor(maxWebhooks = 10_000) {
    this.#entries = new LruMap(maxWebhooks);
  }

  /** The webhook's unexpired secrets at `now`, newest first; `load` reads them all on a miss. */
  active(webhookId: string, now: number, load: () => readonly SecretRecord[]): SecretRecord[] {
    let all = this.#entries.get(webhookId);
    if (all === undefined) {
      all = load();
      this.#entries.set(webhookId, all);
    }
    return all.filter((s) => s.expireAt === null || s.expireAt > now);
  }

  /** After a write of the webhook's secrets (in its transaction: a rollback only costs a miss). */
  forget(webhookId: string): void {
    this.#entries.delete(webhookId);
  }

  /** After a write that touches many webhooks (a project's deletion). */
  clear(): void {
    this.#entries.clear();
  }
}
