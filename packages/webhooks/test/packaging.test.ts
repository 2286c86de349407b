/**
 * The package as published: built with `tsc -b`, linted with publint (strict), and loaded by plain
 * Node (no `@herald/source` condition) from two installed copies, to show that every `exports`
 * entry resolves to the built files and that error identity survives two copies of the package.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { SW1 } from '../src/testing/vectors.js';

const run = promisify(execFile);
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootModules = resolve(pkgDir, '../../node_modules');

let sandbox: string;

beforeAll(async () => {
  await run(join(rootModules, '.bin/tsc'), ['-b', 'tsconfig.build.json'], { cwd: pkgDir });
  sandbox = mkdtempSync(join(tmpdir(), 'herald-webhooks-pkg-'));
  const modules = join(sandbox, 'node_modules');
  mkdirSync(modules);
  symlinkSync(join(rootModules, 'jose'), join(modules, 'jose'), 'dir');
  for (const copy of ['copy-a', 'copy-b']) {
    const dir = join(modules, copy);
    mkdirSync(dir);
    cpSync(join(pkgDir, 'package.json'), join(dir, 'package.json'));
    cpSync(join(pkgDir, 'dist'), join(dir, 'dist'), { recursive: true });
  }
}, 120_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

/** Runs an ES module in the sandbox with plain `node` and returns what it printed as JSON. */
async function inSandbox(source: string): Promise<unknown> {
  const file = join(sandbox, `script-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  const { stdout } = await run(process.execPath, [file], { cwd: sandbox });
  return JSON.parse(stdout);
}

describe('packaging', () => {
  it('publint --strict reports nothing', async () => {
    const { messages } = await publint({ pkgDir, strict: true });
    expect(messages).toEqual([]);
  }, 60_000);

  it('is ESM with types for every export, and the exports map lists every subpath', () => {
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './node',
      './express',
      './fastify',
      './sqlite',
      './redis',
      './package.json',
    ]);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === './package.json') continue;
      expect(Object.keys(target)).toEqual(['@herald/source', 'types', 'default']);
    }
  });

  it('every subpath loads from dist with plain node and the core verifies SW-1 (official)', async () => {
    const result = await inSandbox(`
      const subpaths = ${JSON.stringify(Object.keys(pkg.exports).filter((s) => s !== '.' && s !== './package.json'))};
      const loaded = {};
      for (const s of subpaths) loaded[s] = Object.keys(await import('copy-a' + s.slice(1))).sort();
      const { Webhook } = await import('copy-a');
      const wh = new Webhook(${JSON.stringify(SW1.secret)}, { now: () => ${SW1.timestamp * 1000} });
      const event = wh.verify(${JSON.stringify(SW1.body)}, {
        'webhook-id': ${JSON.stringify(SW1.id)},
        'webhook-timestamp': '${SW1.timestamp}',
        'webhook-signature': ${JSON.stringify(SW1.signature)},
      });
      console.log(JSON.stringify({ loaded, event, resolved: import.meta.resolve('copy-a') }));
    `);
    expect(result).toMatchObject({
      loaded: {
        './node': expect.arrayContaining(['toNodeHandler']),
        './express': expect.arrayContaining(['expressWebhookHandler']),
        './fastify': expect.arrayContaining(['fastifyWebhooks']),
        './sqlite': expect.arrayContaining(['createSqliteIdempotencyStore']),
        './redis': expect.arrayContaining(['createRedisIdempotencyStore']),
      },
      event: { test: 2432232314 },
      resolved: expect.stringMatching(/copy-a\/dist\/index\.js$/),
    });
  });

  it('error identity survives two installed copies: instanceof and code, both ways', async () => {
    const result = await inSandbox(`
      const a = await import('copy-a');
      const b = await import('copy-b');
      const secret = ${JSON.stringify(SW1.secret)};
      const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' };
      const caught = (wh) => { try { wh.verify('{}', headers); } catch (e) { return e; } };
      const fromA = caught(new a.Webhook(secret));
      const fromB = caught(new b.Webhook(secret));
      console.log(JSON.stringify({
        distinctClasses: a.WebhookVerificationError !== b.WebhookVerificationError,
        bIsA: fromB instanceof a.WebhookVerificationError,
        aIsB: fromA instanceof b.WebhookVerificationError,
        codes: [fromA.code, fromB.code],
        plainIsA: new Error('x') instanceof a.WebhookVerificationError,
        receiverOfA: (await a.createWebhookReceiver({ verifier: new b.Webhook(secret) }).handle({ body: '{}', headers })).status,
      }));
    `);
    expect(result).toEqual({
      distinctClasses: true,
      bIsA: true,
      aIsB: true,
      codes: ['ERR_SIGNATURE_MISMATCH', 'ERR_SIGNATURE_MISMATCH'],
      plainIsA: false,
      receiverOfA: 401,
    });
  });
});
