import { poolStatements, type PgPool, type Statements, type Tx } from './pg-database.js';

/**
 * Runs `fn` with statements that each commit on their own: no `BEGIN` and no `COMMIT`, two round
 * trips fewer than `inTx`. Only for a unit whose reads need no common snapshot (READ COMMITTED
 * gives each statement of a transaction its own anyway) and which writes with ONE statement,
 * atomic by itself: a failure before it leaves nothing written, and a failure of it rolls back
 * only it. `afterCommit` work runs once `fn` has returned (its one write has committed), as after
 * `inTx`'s commit; `onRollback` undoes run if `fn` throws. A notification needs a transaction to
 * ride in: `notify` throws.
 */
export async function inStatements<T>(pool: PgPool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db: Statements = poolStatements(pool);
  const after: ((db: Statements) => Promise<void>)[] = [];
  const undo: (() => void)[] = [];
  let result: T;
  try {
    result = await fn({
      ...db,
      scope: pool,
      notify() {
        throw new Error('inStatements: a notification needs a transaction (inTx)');
      },
      afterCommit: (f) => void after.push(f),
      onRollback: (f) => void undo.push(f),
    });
  } catch (err) {
    for (const u of undo) u();
    throw err;
  }
  for (const f of after) await f(db).catch(() => {});
  return result;
}
