import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { num } from './shared.js';

const SCRIPT = fileURLToPath(new URL('../verify/verify.bench.ts', import.meta.url));

export interface VerifyRow {
  section: string;
  name: string;
  opsPerSec: number;
  usPerOp: number;
  ratio: number;
}

/** Reads the rows of the SDK benchmark's tables (`  name   34,004 ops/s   29.41 µs/op   1.00×`). */
export function parseVerifyOutput(text: string): {
  rows: VerifyRow[];
  v1Ratio: number | undefined;
  v1aRatio: number | undefined;
} {
  const rows: VerifyRow[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const m = /^\s+(.+?)\s{2,}([\d,]+) ops\/s\s+([\d.]+) µs\/op\s+([\d.]+)×\s*$/.exec(line);
    if (m) {
      rows.push({
        section,
        name: m[1]!.trim(),
        opsPerSec: Number(m[2]!.replace(/,/g, '')),
        usPerOp: Number(m[3]),
        ratio: Number(m[4]),
      });
    } else if (line.trim() !== '' && !line.startsWith(' ')) section = line.trim();
  }
  const target = /v1 target .*?: ([\d.]+)×/.exec(text);
  const v1aTarget = /v1a target .*?: ([\d.]+)×/.exec(text);
  return {
    rows,
    v1Ratio: target ? Number(target[1]) : undefined,
    v1aRatio: v1aTarget ? Number(v1aTarget[1]) : undefined,
  };
}

function runScript(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@herald/source', '--import', 'tsx', SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Scenario 6, verification: runs the SDK engineer's `bench/verify/verify.bench.ts` (in its own
 * process, `--quick` unless this is a full run) and reports its rows.
 */
export async function verifyScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const started = performance.now();
  if (!existsSync(SCRIPT)) {
    return {
      status: 'skipped',
      note: 'bench/verify/verify.bench.ts not found',
      elapsedMs: 0,
      data: {},
      rows: [],
      targets: [],
    };
  }
  const args = ctx.mode === 'full' ? [] : ['--quick'];
  ctx.log(`verify: bench/verify/verify.bench.ts ${args.join(' ')}`);
  const out = await runScript(args, ctx.mode === 'full' ? 90_000 : 30_000);
  const parsed = parseVerifyOutput(out.stdout);
  const rows: TableRow[] = parsed.rows.map((r) => {
    const ours = !/^(bare |standardwebhooks|svix)/.test(r.name);
    return {
      scenario: '6 verify',
      metric: r.name,
      herald: ours ? `${num(r.opsPerSec)} ops/CPU-s` : '',
      baseline: ours ? '' : `${num(r.opsPerSec)} ops/CPU-s`,
      comparison: `${r.ratio.toFixed(2)}× the first row of "${r.section.replace(/,.*$/, '')}"`,
    };
  });
  const targets: TargetCheck[] = [
    {
      scenario: 'verify',
      target: 'SDK v1 verify ≥ 3× standardwebhooks',
      result: parsed.v1Ratio !== undefined ? `${parsed.v1Ratio.toFixed(2)}×` : 'not reported',
      met: parsed.v1Ratio !== undefined ? parsed.v1Ratio >= 3 : null,
    },
    {
      scenario: 'verify',
      target: 'SDK v1a verify ≥ 0.8× bare node:crypto Ed25519 (slowest v1a row)',
      result: parsed.v1aRatio !== undefined ? `${parsed.v1aRatio.toFixed(2)}×` : 'not reported',
      met: parsed.v1aRatio !== undefined ? parsed.v1aRatio >= 0.8 : null,
    },
  ];
  const ok = out.code === 0 && parsed.rows.length > 0;
  return {
    status: ok ? 'ok' : 'error',
    ...(ok
      ? {}
      : { note: `verify benchmark exited ${out.code} with ${parsed.rows.length} rows: ${out.stderr.slice(0, 300)}` }),
    elapsedMs: performance.now() - started,
    data: {
      args,
      exitCode: out.code,
      rows: parsed.rows,
      v1Ratio: parsed.v1Ratio ?? null,
      v1aRatio: parsed.v1aRatio ?? null,
      output: out.stdout,
    },
    rows,
    targets,
  };
}
