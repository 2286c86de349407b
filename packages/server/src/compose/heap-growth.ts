import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the heap grow past what the last full GC kept: the next full GC comes
 * once the heap is `1 + percent/100` times that, instead of up to 4× on a machine with a large
 * default heap limit. Herald's live heap is small (tens of MB) but it allocates fast while it
 * drains a backlog, and with V8's default the garbage of those bursts was kept as RSS (a heap of
 * 269 MB holding 69 MB live). Read by V8 at every GC, so it applies to a running process. `0`
 * leaves V8's default. Called by `herald serve`; an application embedding Herald owns its flags.
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0)
    throw new RangeError(`heap growth percent must be ≥ 0, got ${percent}`);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
