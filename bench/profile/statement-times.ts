import Database from 'better-sqlite3';

interface Tally {
  calls: number;
  ns: bigint;
}

/**
 * Wall time spent in each SQL statement of every better-sqlite3 database in this process, by its
 * SQL text: wraps `run`, `get` and `all` of the Statement prototype (transactions' `BEGIN`,
 * `SAVEPOINT` and `COMMIT` included: better-sqlite3 runs them as statements). For profiling only:
 * the wrapper adds about a microsecond per statement.
 */
export class StatementTimes {
  readonly #tallies = new Map<string, Tally>();

  constructor() {
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
    probe.close();
    const tallies = this.#tallies;
    for (const method of ['run', 'get', 'all']) {
      const original = proto[method]!;
      proto[method] = function (this: { source: string }, ...args: unknown[]) {
        const started = process.hrtime.bigint();
        try {
          return original.apply(this, args);
        } finally {
          const sql = this.source.replace(/\s+/g, ' ').trim();
          const t = tallies.get(sql) ?? { calls: 0, ns: 0n };
          t.calls++;
          t.ns += process.hrtime.bigint() - started;
          tallies.set(sql, t);
        }
      };
    }
  }

  /** The `top` statements by time, as µs per `per` (e.g. per delivery), then forgets them. */
  report(per: number, top = 12): string {
    const lines = [...this.#tallies]
      .sort((a, b) => Number(b[1].ns - a[1].ns))
      .slice(0, top)
      .map(
        ([sql, t]) =>
          `${(Number(t.ns) / 1000 / per).toFixed(2).padStart(8)} µs ${String(t.calls).padStart(7)} calls  ${sql.slice(0, 100)}`,
      );
    this.#tallies.clear();
    return lines.join('\n');
  }
}
