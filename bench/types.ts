import type { Mode, Sizes } from './lib/sizes.js';

export type ScenarioName =
  'latency' | 'throughput' | 'backlog' | 'isolation' | 'api' | 'verify' | 'scaleout' | 'tenants';
export const SCENARIOS: readonly ScenarioName[] = [
  'latency',
  'throughput',
  'backlog',
  'isolation',
  'api',
  'verify',
  'scaleout',
  'tenants',
];

export interface ScenarioContext {
  mode: Mode;
  sizes: Sizes;
  log: (line: string) => void;
  quiet: boolean;
  /** Results of scenarios that already ran in this process run (isolation compares with latency). */
  earlier: Partial<Record<ScenarioName, ScenarioResult>>;
}

/** One line of the printed table. */
export interface TableRow {
  scenario: string;
  metric: string;
  herald: string;
  baseline: string;
  comparison: string;
}

/** A target from the issue, and whether this run met it (null: not measured in this run). */
export interface TargetCheck {
  scenario: ScenarioName;
  target: string;
  result: string;
  met: boolean | null;
}

export interface ScenarioResult {
  status: 'ok' | 'skipped' | 'error';
  note?: string;
  elapsedMs: number;
  data: Record<string, unknown>;
  rows: TableRow[];
  targets: TargetCheck[];
}

export interface MachineInfo {
  nproc: number;
  cpu: string;
  memGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine). */
  loadAvg: number[];
  /** fsync of a 4 KiB write in the temp dir: what a `synchronous=FULL` commit waits for. */
  fsyncMs: { p50: number; p99: number };
  git: { commit: string; dirty: boolean };
}

export interface BenchResult {
  schema: 'herald-bench/1';
  mode: Mode;
  startedAt: string;
  elapsedMs: number;
  /** 1-minute load average when the run ended. */
  loadAvgEnd: number;
  machine: MachineInfo;
  scenarios: Partial<Record<ScenarioName, ScenarioResult>>;
  table: TableRow[];
  targets: TargetCheck[];
}
