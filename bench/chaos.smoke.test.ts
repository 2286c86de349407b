import { describe, expect, it } from 'vitest';
import { formatTable, runChaos } from './chaos/harness.js';
import { CHAOS_SCENARIOS } from './chaos/types.js';

/**
 * Keeps `npm run chaos` working: `--smoke` (SQLite only, tiny counts, no root, no PostgreSQL) must
 * produce a well-formed result in which nothing accepted is lost. No timing is asserted.
 */
describe('chaos harness (smoke)', () => {
  it('runs the smoke scenarios, loses nothing and produces a well-formed result', { timeout: 300_000 }, async () => {
    const { result, file } = await runChaos({ mode: 'smoke', out: false, quiet: true });
    expect(file).toBeUndefined();
    expect(result.schema).toBe('herald-chaos/1');
    expect(result.machine.nproc).toBeGreaterThan(0);
    expect(Object.keys(result.scenarios).sort()).toEqual([...CHAOS_SCENARIOS].sort());
    for (const name of CHAOS_SCENARIOS) {
      const s = result.scenarios[name]!;
      expect(['ok', 'skipped'], `${name}: ${s.note ?? ''}`).toContain(s.status);
    }
    expect(result.scenarios.sigkill!.status).toBe('ok');
    expect(result.scenarios.receiver!.status).toBe('ok');
    // One row for the kills, one per receiver endpoint (a healthy one and eight faults).
    expect(result.table.map((r) => r.label)).toEqual([
      '1 SIGKILL × 2 (SQLite)',
      ...['ok', '5xx', '429', 'reset', 'hang', 'slow-body', 'huge', 'tls-garbage', 'redirect'].map(
        (m) => `4 receiver: ${m}`,
      ),
    ]);
    for (const r of result.table) {
      expect(r.accepted, r.label).toBeGreaterThan(0);
      expect(r.lost, `${r.label}: ${r.note}`).toBe(0);
      expect(r.delivered, r.label).toBe(r.accepted);
      expect(r.duplicated, r.label).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(r.drainMs), r.label).toBe(true);
    }
    // Every fault endpoint really faulted (the first attempt of every second event).
    const faulted = result.scenarios.receiver!.data as { redirectsFollowed: number };
    expect(faulted.redirectsFollowed).toBe(0);
    for (const r of result.table.filter((x) => x.label.startsWith('4 receiver:') && !x.label.endsWith(': ok'))) {
      expect(r.note, r.label).toMatch(/^\d+ requests, [1-9]\d* faulted/);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(formatTable(result)).toContain('| Scenario | Accepted | Delivered | Duplicated | Lost | Drain | Notes |');
  });
});
