import type { ChaosMode, ChaosScenarioResult } from '../types.js';

/** How long a scenario waits for its accepted events to be delivered after the fault ends. */
export function drainBudgetMs(mode: ChaosMode): number {
  return mode === 'full' ? 180_000 : mode === 'quick' ? 90_000 : 45_000;
}

export function pick<T>(mode: ChaosMode, values: Record<ChaosMode, T>): T {
  return values[mode];
}

export function skipped(note: string): ChaosScenarioResult {
  return { status: 'skipped', note, elapsedMs: 0, rows: [], data: {} };
}

/** A pause of 0…`maxMs` ms, so faults land at varied points of the load. */
export function jitter(maxMs: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.floor(Math.random() * maxMs)));
}

/** Whether the process runs as root (mount, pg_ctlcluster). */
export const isRoot = (): boolean => process.getuid?.() === 0;
