import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from '@herald/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../server/src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, runCli, tempDir } from './helpers/cli.js';

interface VerifyJson {
  verified: boolean;
  scheme?: string;
  webhook_id?: string;
  timestamp?: string;
  event?: { type: string; data: Record<string, unknown> };
  code?: string;
  message?: string;
  reason?: string;
  notes: string[];
}

/** The request as raw HTTP/1.1, the way `nc -l` shows it. */
function rawHttp(req: { method: string; url: string; headers: Record<string, unknown>; body: string }): string {
  const head = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
  return `${req.method} ${req.url} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n${req.body}`;
}

let herald: TestHerald;
let rx: Receiver;
let secret: string;
let captured: ReceivedRequest;
let dir: string;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  rx = await startReceiver();
  const wh = await herald.api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
    uri: rx.url,
    subscribed_events: ['invoice.ready'],
  });
  secret = wh.body.new_signing_secret;
  await herald.api('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_1', total: 42 } });
  [captured] = (await rx.waitFor(1)) as [ReceivedRequest];
  dir = tempDir('verify-');
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rx?.close();
  await herald?.close();
});

function capture(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const verify = (args: string[], input?: string) => runCli(['verify', ...args], input === undefined ? {} : { input });

describe('herald verify', () => {
  it('verifies a request Herald delivered, captured as raw HTTP (exit 0)', async () => {
    const file = capture('ok.http', rawHttp(captured));
    const r = await verify(['--secret', secret, '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ verified: v1 \(HMAC-SHA256\) signature\n/);
    expect(r.stdout).toContain(`webhook-id  ${String(captured.headers['webhook-id'])}`);
    expect(r.stdout).toMatch(/event\s+invoice\.ready/);
    expect(r.stderr).toBe('');

    const asJson = await verify(['--secret', secret, '--file', file, '--json']);
    const result = JSON.parse(asJson.stdout) as VerifyJson;
    expect(result).toMatchObject({
      verified: true,
      scheme: 'v1',
      webhook_id: captured.headers['webhook-id'],
      event: { type: 'invoice.ready', data: { id: 'inv_1', total: 42 } },
      notes: [],
    });
    expect(new Date(result.timestamp!).getTime() / 1000).toBe(Number(captured.headers['webhook-timestamp']));
  });

  it('reads the capture from stdin, and accepts every secret of a rotation', async () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const r = await verify(['--secret', other, '--secret', secret], rawHttp(captured));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ verified/);
  });

  it('rejects a tampered body with exit 1 and the reason code', async () => {
    const tampered = { ...captured, body: captured.body.replace('"total":42', '"total":99') };
    const r = await verify(['--secret', secret, '--file', capture('tampered.http', rawHttp(tampered))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ not verified: ERR_SIGNATURE_MISMATCH \(No matching signature found\)\n {2}why: /);
    expect(r.stdout).toMatch(/the body, webhook-id or webhook-timestamp changed after signing/);

    const asJson = JSON.parse((await verify(['--secret', secret, '--json'], rawHttp(tampered))).stdout) as VerifyJson;
    expect(asJson).toMatchObject({
      verified: false,
      code: 'ERR_SIGNATURE_MISMATCH',
      message: 'No matching signature found',
    });
    expect(asJson.reason).toMatch(/changed after signing/);
  });

  it('rejects the wrong secret, and names the missing header', async () => {
    const wrong = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    const r = await verify(['--secret', wrong], rawHttp(captured));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERR_SIGNATURE_MISMATCH/);

    const headers = { ...captured.headers };
    delete headers['webhook-signature'];
    const missing = await verify(['--secret', secret], rawHttp({ ...captured, headers }));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/ERR_MISSING_HEADERS[\s\S]*why: the capture has no webhook-signature header/);
  });

  it('explains an old timestamp, and --ignore-timestamp checks the signature alone', async () => {
    const wh = new Webhook(secret);
    const body = '{"type":"invoice.ready","version":"v1","timestamp":"2026-01-01T00:00:00Z","data":{}}';
    const ts = Math.floor(Date.now() / 1000) - 3600;
    const old = rawHttp({
      method: 'POST',
      url: '/webhooks',
      headers: { 'webhook-id': 'msg_old', 'webhook-timestamp': ts, 'webhook-signature': wh.sign('msg_old', ts, body) },
      body,
    });
    const r = await verify(['--secret', secret], old);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERR_TIMESTAMP_TOO_OLD[\s\S]*webhook-timestamp is (59 min \d+ s|1 h) in the past/);
    expect(r.stdout).toMatch(/--ignore-timestamp/);
    const ignored = await verify(['--secret', secret, '--ignore-timestamp'], old);
    expect(ignored.code).toBe(0);
    expect((await verify(['--secret', secret, '--tolerance', '7200'], old)).code).toBe(0);
  });

  it('verifies when only the capture file added a final newline, and says so', async () => {
    const headers = { ...captured.headers };
    delete headers['content-length'];
    const r = await verify(['--secret', secret], `${rawHttp({ ...captured, headers })}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: verified without the line break at the end of the capture/);
    // With Content-Length the extra newline is simply outside the body.
    const withLength = await verify(['--secret', secret, '--json'], `${rawHttp(captured)}\n`);
    expect(withLength.code).toBe(0);
    expect((JSON.parse(withLength.stdout) as VerifyJson).notes[0]).toMatch(/trailing line-break/);
  });

  it('verifies v1a (Ed25519) signatures with --public-key and with --jwks', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'EdDSA', use: 'sig' };
    const raw = Buffer.from(jwk.x!, 'base64url');
    const body = '{"type":"batch.succeeded","version":"v1","timestamp":"2026-01-01T00:00:00Z","data":{}}';
    const ts = Math.floor(Date.now() / 1000);
    const signature = sign(null, Buffer.from(`msg_a.${ts}.${body}`), privateKey).toString('base64');
    const request = rawHttp({
      method: 'POST',
      url: '/hooks',
      headers: {
        host: 'me.example',
        'webhook-id': 'msg_a',
        'webhook-timestamp': ts,
        'webhook-signature': `v1a,${signature}`,
      },
      body,
    });

    const byKey = await verify(['--public-key', `whpk_${raw.toString('base64')}`, '--json'], request);
    expect(byKey.code).toBe(0);
    expect(JSON.parse(byKey.stdout)).toMatchObject({ verified: true, scheme: 'v1a' });

    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const jwks = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      const byJwks = await verify(['--jwks', jwks], request);
      expect(byJwks.code).toBe(0);
      expect(byJwks.stdout).toMatch(/^✓ verified: v1a \(Ed25519\) signature\n[\s\S]*kid\s+key-1/);
      // A v1 secret alone cannot check a v1a-only request.
      const unsupported = await verify(['--secret', secret], request);
      expect(unsupported.code).toBe(1);
      expect(unsupported.stdout).toMatch(/ERR_NO_SUPPORTED_SIGNATURE[\s\S]*carries v1a signatures/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const file = capture('jwks.json', JSON.stringify({ keys: [jwk] }));
    expect((await verify(['--jwks', file], request)).code).toBe(0);
  });

  it("verifies Herald's own v1a and JWT deliveries against its published JWKS", async () => {
    const dyn = await startReceiver();
    try {
      const jwks = `${herald.url}/.well-known/jwks.json`;
      /** A custom operation whose webhook_config sends its events to `dyn` (a dynamic destination). */
      const cancelOperation = async () => {
        const before = dyn.requests.length;
        const op = await herald.api<{ id: string }>('POST', '/v1beta/operations', {
          kind: 'etl',
          webhook_config: { uris: [dyn.url] },
        });
        expect(op.status).toBe(200);
        await herald.api('POST', `/v1beta/operations/${op.body.id}:cancel`);
        return (await dyn.waitFor(before + 1))[before]!;
      };

      expect((await herald.api('PATCH', '/v1beta/project', { dynamic_signing: 'v1a' })).status).toBe(200);
      const v1a = await cancelOperation();
      expect(String(v1a.headers['webhook-signature'])).toMatch(/^v1a,/);
      const r = await verify(['--jwks', jwks, '--json'], rawHttp(v1a));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        verified: true,
        scheme: 'v1a',
        event: { type: 'operation.cancelled' },
      });
      expect((JSON.parse(r.stdout) as { kid?: string }).kid).toBeTruthy();

      expect((await herald.api('PATCH', '/v1beta/project', { dynamic_signing: 'jwt' })).status).toBe(200);
      const jwt = await cancelOperation();
      expect(String(jwt.headers['webhook-signature'])).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      // The audience is the destination URL, taken from the capture's request line and Host header.
      const ok = await verify(['--jwks', jwks], rawHttp(jwt));
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^✓ verified: JWT signature/);
      const tampered = await verify(['--jwks', jwks], rawHttp({ ...jwt, body: jwt.body.replace('etl', 'elt') }));
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/ERR_BODY_MISMATCH|ERR_SIGNATURE_MISMATCH/);
      const wrongAudience = await verify(
        ['--jwks', jwks, '--audience', 'https://elsewhere.example/hook'],
        rawHttp(jwt),
      );
      expect(wrongAudience.code).toBe(1);
      expect(wrongAudience.stdout).toMatch(/ERR_JWT_CLAIM[\s\S]*--audience/);
    } finally {
      await herald.api('PATCH', '/v1beta/project', { dynamic_signing: 'v1a' });
      await dyn.close();
    }
  });

  it('exits 2 for bad flags or an unreadable capture, saying what to do', async () => {
    const noKey = await verify([], rawHttp(captured));
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^herald: nothing to verify with: pass --secret whsec_/);
    const badSecret = await verify(['--secret', 'whsec_c2hvcnQ='], rawHttp(captured));
    expect(badSecret.code).toBe(2);
    expect(badSecret.stderr).toMatch(/^herald: --secret: /);
    const notHttp = await verify(['--secret', secret], '{"just":"a body"}');
    expect(notHttp.code).toBe(2);
    expect(notHttp.stderr).toMatch(/cannot read the capture: no empty line between the headers and the body/);
    const noFile = await verify(['--secret', secret, '--file', join(dir, 'nope.http')]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^herald: cannot read .*nope\.http/);
    const help = await runCli(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status: 0 verified, 1 not verified/);
  });
});
