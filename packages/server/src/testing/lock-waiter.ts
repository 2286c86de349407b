import { setTimeout as sleep } from 'node:timers/promises';
import type { PgPool } from '../store/postgres/pg-database.js';

/**
 * Resolves once some session of the pool's database waits on a lock (`pg_stat_activity`): a
 * statement a test started has reached the row another transaction holds. Throws after about
 * ten seconds of looking, naming what never happened.
 *
 * @example
 * const claim = store.claimDue(input); // will block on a row `other` holds
 * await lockWaiter(pool, 'the claim never waited on the held delivery');
 * await other.query('COMMIT');
 */
export async function lockWaiter(pool: PgPool, never = 'no session ever waited on a lock'): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    const r = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (r.rows[0]!.n > 0) return;
    await sleep(5);
  }
  throw new Error(never);
}
