import type { MachineInfo } from '../types.js';

export type ChaosMode = 'smoke' | 'quick' | 'full';

export type ChaosScenarioName = 'sigkill' | 'pg-outage' | 'worker-kill' | 'receiver' | 'disk-full' | 'rolling';
export const CHAOS_SCENARIOS: readonly ChaosScenarioName[] = [
  'sigkill',
  'pg-outage',
  'worker-kill',
  'receiver',
  'disk-full',
  'rolling',
];

/** What one fault did to the events: the row of the table. */
export interface ChaosCounts {
  /** `1 sigkill`, `4 receiver: 5xx`, … */
  label: string;
  /** Events (× destinations) Herald answered 200 for. */
  accepted: number;
  /** Of those, how many a receiver answered 200. */
  delivered: number;
  /** 200 answers beyond the first for the same webhook-id (at-least-once duplicates). */
  duplicated: number;
  /** Accepted but never delivered by the end of the drain deadline. */
  lost: number;
  /** From the end of the fault (the load stopped, the last restart done) to the last accepted event delivered. */
  drainMs: number;
  /** What the fault was, and what else was seen (retries, 503s). */
  note: string;
}

export interface ChaosContext {
  mode: ChaosMode;
  log: (line: string) => void;
}

export interface ChaosScenarioResult {
  status: 'ok' | 'skipped' | 'error';
  /** Why it was skipped, or what went wrong. */
  note?: string;
  elapsedMs: number;
  rows: ChaosCounts[];
  data: Record<string, unknown>;
}

export interface ChaosResult {
  schema: 'herald-chaos/1';
  mode: ChaosMode;
  startedAt: string;
  elapsedMs: number;
  machine: MachineInfo;
  scenarios: Partial<Record<ChaosScenarioName, ChaosScenarioResult>>;
  /** Every scenario's rows, in order. */
  table: ChaosCounts[];
}
