import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { MachineInfo } from '../types.js';
import { percentiles } from './stats.js';

/** fsync latency of 4 KiB rewrites in the temp dir (where every scenario keeps its database). */
export function probeFsync(iterations = 200): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-fsync-'));
  const fd = openSync(join(dir, 'probe.bin'), 'w');
  const buf = Buffer.alloc(4096, 7);
  const samples: number[] = [];
  try {
    for (let i = 0; i < iterations; i++) {
      writeSync(fd, buf, 0, buf.length, (i % 16) * buf.length);
      const t = performance.now();
      fsyncSync(fd);
      samples.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  const p = percentiles(samples);
  return { p50: p.p50, p99: p.p99 };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine(fsyncIterations = 200): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${platform()} ${release()}`,
    loadAvg: loadavg().map((l) => Math.round(l * 10) / 10),
    fsyncMs: probeFsync(fsyncIterations),
    git: { commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown', dirty: git(['status', '--porcelain']) !== '' },
  };
}
