import type { ProjectShare } from '../../ports/delivery-queue.js';

/**
 * What one claim may still take per project (ClaimInput.projectShare): a project's attempts in
 * flight in the claiming process plus what this claim leases stay within `max`. Both dialects
 * walk destinations in due order and ask `room` before leasing from one, then `take` what they
 * leased; `full` lists the projects to leave out of the destination query altogether.
 *
 * @example
 * const share = new ClaimShare(input.projectShare);
 * const room = Math.min(share.cap(d.id, cap) - d.in_flight, share.room(d.project_id));
 * share.take(d.project_id, leased);
 */
export class ClaimShare {
  readonly #share: ProjectShare | undefined;
  readonly #taken = new Map<string, number>();
  readonly #probeOnly: ReadonlySet<string>;

  constructor(share: ProjectShare | undefined, probeOnly: readonly string[] = []) {
    this.#share = share;
    this.#probeOnly = new Set(probeOnly);
  }

  /** In-flight cap of one destination: one (the probe) for a half-open circuit (ClaimInput.probeOnly). */
  cap(destinationId: string, maxPerDestination: number): number {
    return this.#probeOnly.has(destinationId) ? Math.min(1, maxPerDestination) : maxPerDestination;
  }

  /** Projects with no room left before the claim starts. */
  full(): string[] {
    const s = this.#share;
    if (!s) return [];
    return [...s.inFlight].filter(([, n]) => n >= s.max).map(([p]) => p);
  }

  /**
   * The most one claim may lease in all, from any destinations, without any project passing its
   * share: the least room of a project below its share (`full` ones are left out), `max` when none
   * has attempts in flight. A claim that stays within it need not ask `room` per destination.
   */
  roomForAny(): number {
    const s = this.#share;
    if (!s) return Infinity;
    let least = s.max;
    for (const n of s.inFlight.values()) if (n < s.max) least = Math.min(least, s.max - n);
    return least;
  }

  room(projectId: string): number {
    const s = this.#share;
    if (!s) return Infinity;
    return Math.max(0, s.max - (s.inFlight.get(projectId) ?? 0) - (this.#taken.get(projectId) ?? 0));
  }

  take(projectId: string, n: number): void {
    if (n > 0) this.#taken.set(projectId, (this.#taken.get(projectId) ?? 0) + n);
  }
}
