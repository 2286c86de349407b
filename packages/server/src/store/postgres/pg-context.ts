import type { PgPool, Tx, TxOptions } from './pg-database.js';

/** What every PostgreSQL port shares: the pool, a reader outside transactions, and `inTx` on the pool. */
export interface PgContext {
  readonly pool: PgPool;
  /** Reads outside an explicit transaction (each statement sees committed data). */
  readonly reader: Pick<Tx, 'rows' | 'one'>;
  /** One unit of work in one transaction (see `inTx`). */
  readonly tx: <T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions) => Promise<T>;
}
