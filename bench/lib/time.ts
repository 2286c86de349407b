/**
 * Monotonic wall time in milliseconds (fractional). `process.hrtime` reads CLOCK_MONOTONIC, which is
 * system-wide on Linux, so values taken in different processes on this machine are comparable: the
 * receiver child stamps arrivals with it and the Herald process stamps commits with it.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets queued I/O, timers and `setImmediate` callbacks (the engine's pump) run. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Rejects after `ms` with a message naming what did not finish. */
export async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
