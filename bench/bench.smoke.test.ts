import { describe, expect, it } from 'vitest';
import { formatTables, runBench } from './harness.js';
import { SCENARIOS } from './types.js';

/**
 * Keeps the harness working: every scenario runs with tiny counts and the result must be
 * well-formed. No timing is asserted: numbers on a shared CI machine mean nothing.
 */
describe('bench harness (smoke)', () => {
  // Scale-out starts six `herald serve` processes from source: on a loaded 2-vCPU machine that alone
  // can take a minute or more, hence the time-out above the project's 180 s.
  it('runs every scenario and produces a well-formed result', { timeout: 420_000 }, async () => {
    const { result, file } = await runBench({ mode: 'smoke', out: false, quiet: true });
    expect(file).toBeUndefined();
    expect(result.schema).toBe('herald-bench/1');
    expect(result.machine.nproc).toBeGreaterThan(0);
    expect(Number.isFinite(result.machine.fsyncMs.p50)).toBe(true);
    for (const name of SCENARIOS) {
      const r = result.scenarios[name];
      expect(r, name).toBeDefined();
      expect(['ok', 'skipped'], `${name}: ${r?.note ?? ''}`).toContain(r!.status);
      if (r!.status === 'ok') expect(r!.rows.length, name).toBeGreaterThan(0);
    }
    for (const row of result.table) {
      for (const v of Object.values(row)) expect(typeof v).toBe('string');
    }
    for (const t of result.targets) expect([true, false, null]).toContain(t.met);
    const latency = result.scenarios.latency!.data as { inprocess: { push: { count: number } } };
    expect(latency.inprocess.push.count).toBe(20);
    const scaleout = result.scenarios.scaleout!;
    if (scaleout.status === 'ok') {
      const { runs } = scaleout.data as { runs: { label: string; delivered: number; invalid: number }[] };
      expect(runs).toHaveLength(3); // smoke: no 4-worker deployment
      for (const r of runs) expect([r.label, r.delivered, r.invalid]).toEqual([r.label, 100, 0]);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(formatTables(result)).toContain('| Scenario | Metric | Herald | Baseline | Comparison |');
  });
});
