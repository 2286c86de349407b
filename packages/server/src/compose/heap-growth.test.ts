import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap-growth.js';

const run = promisify(execFile);
const module = fileURLToPath(new URL('./heap-growth.ts', import.meta.url));

/** Peak heap (MB) of a fresh process that keeps ~40 MB live and allocates garbage fast. */
async function peakHeapMb(percent: number): Promise<number> {
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(module)});
    limitHeapGrowth(${percent});
    const live = [];
    for (let i = 0; i < 400000; i++) live.push({ a: 'x' + i, b: [i, i + 1] });
    let peak = 0;
    for (let r = 0; r < 800; r++) {
      const garbage = [];
      for (let i = 0; i < 20000; i++) garbage.push({ s: 'y' + i + r, n: [i] });
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 1048576), live.length);`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return Number(stdout.trim().split(' ')[0]);
}

describe('limitHeapGrowth', () => {
  it('keeps the heap of an allocation burst far smaller than V8 left alone does', async () => {
    const [unbounded, bounded] = await Promise.all([peakHeapMb(0), peakHeapMb(50)]);
    expect(bounded).toBeLessThan(unbounded * 0.8);
  }, 60_000);

  it('refuses a negative or fractional percent', () => {
    expect(() => limitHeapGrowth(-1)).toThrow(RangeError);
    expect(() => limitHeapGrowth(1.5)).toThrow(/≥ 0/);
  });
});
