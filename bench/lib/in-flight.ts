/**
 * Runs `fn(seq)` for seq = 0, 1, … `count - 1`, `concurrency` calls in flight, each worker taking
 * the next number when its call settles; stops handing out numbers once `more()` turns false
 * (a time cap). Resolves when every started call has settled.
 */
export async function inFlight(
  count: number,
  concurrency: number,
  fn: (seq: number) => Promise<void>,
  more: () => boolean = () => true,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && more()) await fn(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
