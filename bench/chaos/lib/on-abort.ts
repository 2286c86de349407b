/**
 * Clean-ups that must happen even when the run is interrupted (Ctrl-C, SIGTERM): PostgreSQL started
 * again, a tmpfs unmounted. A scenario registers one for the span of its fault; `run.ts` runs them
 * on a signal before exiting (the `herald serve` children are killed on exit by herald-process.ts).
 */
const pending = new Set<() => Promise<void>>();

/** Registers `fn` until the returned function is called. */
export function onAbort(fn: () => Promise<void>): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

/** Runs every registered clean-up, newest first, each at most once; errors are reported, not thrown. */
export async function runAbortCleanups(): Promise<void> {
  for (const fn of [...pending].reverse()) {
    pending.delete(fn);
    try {
      await fn();
    } catch (err) {
      console.error(`clean-up failed: ${(err as Error).message}`);
    }
  }
}
