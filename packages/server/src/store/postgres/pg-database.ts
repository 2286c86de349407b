import pg from 'pg';
import type { ClientConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { forgetPrepared, isStalePlan, prepared } from './prepared.js';

/**
 * int8 (`bigint`, oid 20) columns hold epoch-ms timestamps and counters, all below 2^53: parse
 * them as numbers, like SQLite returns them. Set per pool/client (not `pg.types` globally), so
 * nothing else in the process is affected.
 */
const PG_INT8 = 20;
const builtinParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format?: 'text' | 'binary') => unknown;
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_INT8 ? (v: string) => Number(v) : builtinParser(oid, format)) as typeof pg.types.getTypeParser,
};

export type PgPool = pg.Pool;

/** Pools whose statements are sent unnamed (`preparedStatements: false`). */
const unprepared = new WeakSet<PgPool>();

/**
 * A pool. `preparedStatements: false` sends every statement unnamed (parsed and planned each
 * time), for a connection pooler that cannot keep named statements (PgBouncer before 1.21 in
 * transaction mode).
 */
export function createPool(
  connectionString: string,
  max = 10,
  opts: { preparedStatements?: boolean | undefined } = {},
): PgPool {
  // A database host that stops answering (rather than refusing) fails a checkout after 10 s, so
  // requests answer 503 instead of hanging until the TCP time-out.
  const pool = new pg.Pool({
    connectionString,
    max,
    types: pgTypes,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection (a database restart) must not crash the process: the
  // pool drops it and the next checkout opens a new one.
  pool.on('error', () => {});
  // Every client keeps an error listener of its own for life. pg-pool removes its idle listener
  // when it hands a client to a `pool.connect()` waiter, and the waiter can only add one a
  // microtask later. When `pool.query` releases a client synchronously inside the socket's data
  // handler and the same chunk also holds the server's FATAL "terminating connection" (a restart),
  // the error fell into that gap as an uncaught 'error' event and killed the process (seen in
  // the multi-process restart test). The client is marked unusable either way; whoever holds it
  // sees its next query fail and releases it as broken.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (opts.preparedStatements === false) unprepared.add(pool);
  return pool;
}

export function clientConfig(connectionString: string): ClientConfig {
  return { connectionString, types: pgTypes };
}

/** A NOTIFY to send in the transaction (PostgreSQL delivers it at commit, never on rollback). */
export interface Notice {
  channel: string;
  payload: string;
}

/** One unit of work on one pooled connection, between BEGIN and COMMIT. */
export interface Tx {
  rows<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
  one<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R | undefined>;
  /** Runs a statement and returns its row count. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
  /** Queues a notification, sent inside the transaction just before COMMIT. */
  notify(channel: string, payload: string): void;
  /**
   * Queues work to run once the transaction has committed, outside it, on the pool (never after
   * a rollback). It must tolerate a crash before it runs: nothing may depend on it but speed.
   */
  afterCommit(fn: (db: Statements) => Promise<void>): void;
  /** Queues a synchronous undo for in-process state, run if this attempt rolls back (or fails to commit). */
  onRollback(fn: () => void): void;
  /** The same object for every transaction on one pool: a key for per-database memos. */
  readonly scope: object;
}

export interface TxOptions {
  /** Rerun on a unique violation (an insert raced another one: the rerun reads the winner's row). */
  retryOnUnique?: boolean;
  /**
   * Commit without waiting for the WAL flush (`synchronous_commit = off`): for units whose loss in
   * a crash costs a repeat, never a loss (claims, attempt records, hints), as SQLite's NORMAL.
   */
  asyncCommit?: boolean;
}

/** Deadlock and serialization failure: the transaction is rolled back whole and can run again. */
const RETRYABLE = new Set(['40P01', '40001']);
export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

export function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Statements on the pool, each in a transaction of its own. */
export type Statements = Pick<Tx, 'rows' | 'one' | 'run'>;

type AfterCommit = (db: Statements) => Promise<void>;

type Queryable = Pick<PoolClient, 'query'>;

/**
 * One statement, prepared by name (`prepared.ts`). A stale plan forgets the name and fails: inside
 * a transaction the whole unit reruns (`inTx`); on the pool (`retry`) the statement reruns at once.
 */
async function exec<R extends QueryResultRow>(
  pool: PgPool,
  on: Queryable,
  text: string,
  values: readonly unknown[],
  retry = false,
): Promise<QueryResult<R>> {
  try {
    if (unprepared.has(pool)) return await on.query<R>(text, values as unknown[]);
    return await on.query<R>(prepared(text, values) as never);
  } catch (err) {
    if (!isStalePlan(err)) throw err;
    forgetPrepared(text);
    if (!retry) throw err;
    return on.query<R>(text, values as unknown[]);
  }
}

function wrap(client: PoolClient, notices: Notice[], after: AfterCommit[], undo: (() => void)[], scope: PgPool): Tx {
  return {
    scope,
    afterCommit(fn) {
      after.push(fn);
    },
    onRollback(fn) {
      undo.push(fn);
    },
    async rows<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      return (await exec<R>(scope, client, text, values)).rows;
    },
    async one<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      return (await exec<R>(scope, client, text, values)).rows[0];
    },
    async run(text: string, values: readonly unknown[] = []) {
      return (await exec(scope, client, text, values)).rowCount ?? 0;
    },
    notify(channel, payload) {
      notices.push({ channel, payload });
    },
  };
}

/**
 * Runs `fn` in one transaction (READ COMMITTED) on one pooled connection. A deadlock or
 * serialization failure reruns it (up to 3 times), as does a unique violation when
 * `retryOnUnique` is set (an insert raced another one: the rerun reads the winner's row).
 * `fn` must therefore only touch the database (and pure helpers) so a rerun is safe.
 */
export async function inTx<T>(pool: PgPool, fn: (tx: Tx) => Promise<T>, opts: TxOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    const notices: Notice[] = [];
    const after: AfterCommit[] = [];
    const undo: (() => void)[] = [];
    let committed = false;
    let result!: T;
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: without this one, the connection
    // dying between two statements (a database restart) would be an uncaught 'error' event.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      // One round trip either way: a simple query may hold both statements.
      await client.query(opts.asyncCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
      result = await fn(wrap(client, notices, after, undo, pool));
      if (notices.length > 0) {
        await exec(pool, client, 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)', [
          notices.map((n) => n.channel),
          notices.map((n) => n.payload),
        ]);
      }
      await client.query('COMMIT');
      committed = true;
    } catch (err) {
      for (const u of undo) u();
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is gone: do not return it to the pool
      }
      const code = codeOf(err);
      const retry =
        RETRYABLE.has(code ?? '') || isStalePlan(err) || (opts.retryOnUnique === true && code === UNIQUE_VIOLATION);
      if (!retry || attempt >= 3) throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
    if (committed) {
      for (const f of after) await f(poolStatements(pool)).catch(() => {});
      return result;
    }
  }
}

/** Statements on the pool, outside any explicit transaction. */
export function poolStatements(pool: PgPool): Statements {
  return {
    ...poolReader(pool),
    async run(text: string, values: readonly unknown[] = []) {
      return (await exec(pool, pool, text, values, true)).rowCount ?? 0;
    },
  };
}

/** A single statement outside an explicit transaction (reads). */
export async function query<R extends QueryResultRow>(
  pool: PgPool,
  text: string,
  values: readonly unknown[] = [],
): Promise<R[]> {
  return (await exec<R>(pool, pool, text, values, true)).rows;
}

/** Reads outside an explicit transaction (each statement sees committed data). */
export function poolReader(pool: PgPool): Pick<Tx, 'rows' | 'one'> {
  return {
    async rows<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      return (await exec<R>(pool, pool, text, values, true)).rows;
    },
    async one<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      return (await exec<R>(pool, pool, text, values, true)).rows[0];
    },
  };
}
