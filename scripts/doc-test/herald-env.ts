/**
 * What the doc examples run against: a fresh Herald started from source on a free port with a
 * temporary data directory, a real receiver on 127.0.0.1 that answers every delivery `200`, and a
 * scratch working directory where `./.herald/api-key` holds the server's key and `herald`/`npx
 * herald` run this repository's CLI. `HERALD_URL` and `HERALD_API_KEY` are exported, as the
 * README's first step has the reader do. The docs' addresses (`127.0.0.1:8080` for Herald,
 * `127.0.0.1:3000` for the receiver) are rewritten to the real ones before a block runs.
 * @module
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rewrites } from './shell.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface DocEnv {
  heraldUrl: string;
  receiverUrl: string;
  apiKey: string;
  /** The scratch directory blocks start in. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  rewrites: Rewrites;
  received: Received[];
  close(): Promise<void>;
}

async function startReceiver(received: Received[]): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function startHerald(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@herald/source', '--import', 'tsx', join(REPO, 'packages/cli/src/main.ts'), 'serve'],
    {
      cwd: REPO,
      env: {
        ...process.env,
        HERALD_PORT: '0',
        HERALD_DATA_DIR: dataDir,
        HERALD_LOG_LEVEL: 'warn',
        HERALD_TIME_SCALE: '10', // a simulated batch takes 0.5 s: long enough to cancel one, short enough to wait for
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const health = /Health\s+(http:\/\/\S+)\/healthz/.exec(out);
      if (health) resolve({ child, url: health[1]! });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('exit', (code) => reject(new Error(`herald serve exited (${code}) before listening:\n${out}`)));
  });
}

/** The tools the docs' shell examples use, besides a POSIX userland. */
function checkTools(): void {
  const missing = ['bash', 'curl', 'jq'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length > 0)
    throw new Error(`the doc tests need ${missing.join(' and ')} on PATH (e.g. apt-get install ${missing.join(' ')})`);
}

/** Starts Herald and the receiver and prepares the scratch directory. */
export async function startDocEnv(): Promise<DocEnv> {
  checkTools();
  const root = mkdtempSync(join(tmpdir(), 'herald-doc-test-'));
  const workDir = join(root, 'work');
  const dataDir = join(workDir, '.herald');
  const bin = join(root, 'bin');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(bin);
  // `herald` and `npx herald` (which looks in ./node_modules/.bin) run this repository's CLI.
  const shim = join(bin, 'herald');
  writeFileSync(shim, `#!/bin/sh\nexec node ${JSON.stringify(join(REPO, 'packages/cli/bin/herald.js'))} "$@"\n`);
  chmodSync(shim, 0o755);
  // The repository's folders, so that commands written for its root (`npx tsx cookbook/…`) run.
  for (const dir of ['node_modules', 'packages', 'cookbook', 'bench', 'docs'])
    symlinkSync(join(REPO, dir), join(workDir, dir));
  writeFileSync(join(workDir, 'package.json'), '{"private":true,"type":"module"}\n');

  const received: Received[] = [];
  const receiver = await startReceiver(received);
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const { child, url: heraldUrl } = await startHerald(dataDir);
  const apiKey = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    // What the README's first step exports; the docs assume it (the CLI reads the same two).
    HERALD_URL: heraldUrl,
    HERALD_API_KEY: apiKey,
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    npm_config_yes: 'false',
    npm_config_offline: 'true',
  };
  return {
    heraldUrl,
    receiverUrl,
    apiKey,
    workDir,
    env,
    rewrites: [
      ['http://127.0.0.1:8080', heraldUrl],
      ['http://127.0.0.1:3000', receiverUrl],
    ],
    received,
    async close() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => receiver.close(resolve));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
