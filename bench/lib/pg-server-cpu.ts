import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ), whatever the kernel's HZ. */
const TICK_MS = 10;

/** CPU time (ms) of every process named `postgres` on this host, from /proc; undefined where /proc is not Linux's. */
function postgresCpuMs(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after the command: state is field 3, utime 14 and stime 15 (1-based).
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks * TICK_MS;
}

/**
 * CPU the PostgreSQL server spent over a run, when it runs on this host (the bench's loopback
 * default): the sum over its processes (backends, WAL writer, checkpointer…) at the start and at
 * the end. A backend that exits during the run takes its time with it, so this is a lower bound;
 * the bench's pools keep their connections for the whole run. Other databases of the same server
 * count too (a dedicated server is assumed). Undefined for a remote server.
 */
export class PgServerCpu {
  readonly #start: number | undefined;

  private constructor(start: number | undefined) {
    this.#start = start;
  }

  static start(pgUrl: string): PgServerCpu {
    const host = new URL(pgUrl).hostname;
    const local = host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '';
    return new PgServerCpu(local ? postgresCpuMs() : undefined);
  }

  /** CPU ms since `start`, or undefined. */
  stop(): number | undefined {
    if (this.#start === undefined) return undefined;
    const end = postgresCpuMs();
    return end === undefined ? undefined : end - this.#start;
  }
}
