/**
 * Runs `pass` one at a time, coalescing calls: a call made while a pass runs asks for one more
 * pass after it (however many such calls), and returns at once. The loop stops when no call came
 * in or `active()` turns false. A pass that throws ends the loop and the error reaches the caller
 * that was running it. Resolves true for the call that ran the passes, false for one that only
 * asked for another (or found `active()` false).
 *
 * The delivery engine's claim loop and the operation runner's lease loop both wake on every
 * commit notice; this keeps a burst of wake-ups to one extra pass.
 *
 * @example
 * const pump = singleFlight(claimAndLaunch, () => running);
 * store.subscribe(() => void pump());
 */
export function singleFlight(pass: () => Promise<void>, active: () => boolean): () => Promise<boolean> {
  let busy = false;
  let again = false;
  return async () => {
    if (!active()) return false;
    if (busy) {
      again = true;
      return false;
    }
    busy = true;
    try {
      do {
        again = false;
        await pass();
      } while (again && active());
      return true;
    } finally {
      busy = false;
    }
  };
}
