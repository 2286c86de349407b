import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../lib/time.js';
import { Fleet } from '../lib/fleet.js';
import { onAbort } from '../lib/on-abort.js';
import { Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, skipped } from './shared.js';

/** Writes `path` until the file system says ENOSPC; returns the bytes written. */
function fillUp(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

async function readyz(url: string | undefined): Promise<number> {
  if (!url) return 0;
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * 5. Disk full: a SQLite data dir on a 3 MiB tmpfs, filled up by a filler file under load. Ingest must
 * answer 503 UNAVAILABLE saying the disk is full, lose nothing it accepted, and resume by itself once
 * the filler is deleted. Skipped (with the reason) where mounting a tmpfs is not permitted.
 */
export async function diskFullScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-chaos-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return skipped(`cannot mount a tmpfs (needs root): ${why}`);
  }
  const started = performance.now();
  const sink = new Sink();
  const fleet = new Fleet();
  const slot = fleet.add('all', {}, join(dir, 'data'));
  const filler = join(dir, 'filler.bin');
  const unregister = onAbort(async () => {
    await fleet.close();
    execFileSync('umount', [dir], { stdio: 'pipe' });
  });
  try {
    const ep = await sink.add('ok');
    await fleet.start(slot);
    await fleet.createWebhook(sink.url(ep), 'chaos.disk');
    let full = { readyz: 0, message: '', fillerBytes: 0 };
    const run = await underLoad({
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.disk',
      sink,
      endpoints: [ep],
      labels: ['5 disk full (SQLite on a 3 MiB tmpfs)'],
      concurrency: 4,
      max: 50_000,
      padBytes: 500,
      faultBudgetMs: 120_000,
      fault: async (p) => {
        await p.waitAccepted(p.stats.accepted + 10);
        const fillerBytes = fillUp(filler);
        ctx.log(`  disk filled (${fillerBytes} bytes of filler)`);
        // Let the producer run into the full disk: wait for its first 503s.
        const until = Date.now() + 20_000;
        while ((p.stats.statuses['503'] ?? 0) < 5 && Date.now() < until) await sleep(50);
        full = { readyz: await readyz(fleet.apiUrls()[0]), message: p.stats.messages['503'] ?? '', fillerBytes };
        rmSync(filler);
        ctx.log('  filler deleted');
        await p.waitAccepted(p.stats.accepted + 20);
        return `filled with ${Math.round(fillerBytes / 1024)} KiB; while full /readyz answered ${full.readyz}, ingest ${p.stats.statuses['503'] ?? 0}× 503`;
      },
      drainBudgetMs: drainBudgetMs(ctx.mode),
    });
    const saysFull = /disk/i.test(full.message) && /UNAVAILABLE/.test(full.message);
    const problems = [
      ...(saysFull ? [] : [`the 503 while full did not say the disk is full: ${full.message || '(no 503 seen)'}`]),
      ...(full.readyz === 503 ? [] : [`/readyz answered ${full.readyz} while the disk was full`]),
      ...(run.producer.statuses['500'] ? [`${run.producer.statuses['500']} answers were 500`] : []),
    ];
    return {
      status: problems.length ? 'error' : 'ok',
      ...(problems.length ? { note: problems.join('; ') } : {}),
      elapsedMs: performance.now() - started,
      rows: run.rows,
      data: { ...full, producer: run.producer },
    };
  } finally {
    unregister();
    rmSync(filler, { force: true });
    await fleet.close();
    await sink.close();
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      // still busy: left mounted; it is under the temp dir
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
