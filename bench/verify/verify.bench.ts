/**
 * Verification throughput of @herald/webhooks vs standardwebhooks (and svix 1.x), side by side in
 * one process, plus v1a (Ed25519) and JWT (RS256) rates.
 *
 *   npx tsx bench/verify/verify.bench.ts           # full run, < 30 s
 *   npx tsx bench/verify/verify.bench.ts --quick   # ~3 s
 *
 * Method: every contender verifies the same signed delivery (a ~250-byte Herald event, JSON parse
 * included, as in `verify()` of every library). Contenders run in interleaved rounds (A B C A B C…)
 * of fixed duration after a warm-up; the median round is reported, in operations per CPU-second.
 * Numbers are machine-dependent: only the ratios within one run are meaningful.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook, WebhookVerifier } from '../../packages/webhooks/src/index.js';

const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;
const budgetMs = quick ? 3_000 : 20_000;
const startedAt = performance.now();

const secret = 'whsec_' + Buffer.alloc(32, 0x5a).toString('base64');
const body = JSON.stringify({
  type: 'batch.succeeded',
  version: 'v1',
  timestamp: '2026-05-04T12:00:00Z',
  data: {
    id: 'batches/3a96ht58d9rd3fci7tg3qlrhlfawe5ykp6ge',
    output_file_uri: 'files/batch-3a96ht58d9rd3fci7tg3qlrhlfawe5ykp6ge',
    user_metadata: { job_group: 'nightly-eval', priority: 'high' },
  },
});
const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const ts = Math.floor(Date.now() / 1000);
const now = (): number => ts * 1000;
const audience = 'https://receiver.example/webhooks';

type Op = () => unknown;
interface Contender {
  name: string;
  op: Op;
  async?: boolean;
}

/**
 * Ops per CPU-second of this process (user + system, all threads — WebCrypto work runs on the
 * libuv pool). CPU time rather than wall time keeps the ratios stable when other processes load
 * the machine.
 */
async function measure(contender: Contender, durationMs: number): Promise<number> {
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const batch = contender.async ? 16 : 256;
  while (performance.now() - start < durationMs) {
    if (contender.async) for (let i = 0; i < batch; i++) await contender.op();
    else for (let i = 0; i < batch; i++) contender.op();
    ops += batch;
  }
  const used = process.cpuUsage(cpu);
  return ops / ((used.user + used.system) / 1e6);
}

async function compare(
  title: string,
  contenders: Contender[],
  rounds: number,
  roundMs: number,
  minRoundMs = 50,
): Promise<Map<string, number>> {
  for (const c of contenders) await measure(c, Math.max(20, roundMs * 0.3 * scale)); // warm-up (JIT)
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) samples.get(c.name)!.push(await measure(c, Math.max(minRoundMs, roundMs * scale)));
    if (r >= 2 && performance.now() - startedAt > budgetMs) break; // at least 3 rounds per table
  }
  const medians = new Map<string, number>();
  for (const [name, values] of samples) {
    const sorted = [...values].sort((a, b) => a - b);
    medians.set(name, sorted[Math.floor(sorted.length / 2)]!);
  }
  console.log(`\n${title}`);
  const base = medians.values().next().value ?? 1;
  for (const [name, opsPerSec] of medians) {
    const ratio = opsPerSec / base;
    console.log(
      `  ${name.padEnd(44)} ${Math.round(opsPerSec).toLocaleString('en-US').padStart(11)} ops/s ` +
        `${(1e6 / opsPerSec).toFixed(2).padStart(8)} µs/op  ${ratio.toFixed(2).padStart(6)}×`,
    );
  }
  return medians;
}

const headers = (signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(ts),
  'webhook-signature': signature,
});

async function main(): Promise<void> {
  console.log(`@herald/webhooks verification benchmark — node ${process.version}, ${quick ? 'quick' : 'full'} run`);
  console.log(`payload ${Buffer.byteLength(body)} bytes; ops per CPU-second, median of interleaved rounds;`);
  console.log('ratios are against the first row of each table');

  // ---- v1 (HMAC) -----------------------------------------------------------------------------
  const theirs = new StandardWebhook(secret);
  const signature = theirs.sign(id, new Date(ts * 1000), body);
  const h = headers(signature);
  const ours = new Webhook(secret, { now });
  const oursPure = new Webhook(secret, { now, hmac: 'pure' });
  const oursAsync = new WebhookVerifier({ secrets: secret, now });
  const v1: Contender[] = [
    { name: 'standardwebhooks@1.1.1 verify (sync)', op: () => theirs.verify(body, h) },
    { name: '@herald/webhooks Webhook.verify (node:crypto)', op: () => ours.verify(body, h) },
    { name: '@herald/webhooks Webhook.verify (pure TS)', op: () => oursPure.verify(body, h) },
    { name: '@herald/webhooks WebhookVerifier (async)', op: () => oursAsync.verify(body, h), async: true },
  ];
  try {
    const require = createRequire(import.meta.url);
    const svix = require('svix') as typeof import('svix');
    const svixWh = new svix.Webhook(secret);
    const svixVersion = (require('svix/package.json') as { version: string }).version;
    v1.splice(1, 0, { name: `svix@${svixVersion} verify (sync)`, op: () => svixWh.verify(body, h) });
  } catch {
    console.log('note: svix is not installed (svix 2.x needs Node ≥ 22; 1.99.1 is the last 1.x): skipped');
  }
  for (const c of v1) c.op(); // every contender accepts the delivery
  const v1Results = await compare('v1 (HMAC-SHA256) verify, higher is better', v1, 9, 300);

  // ---- v1a (Ed25519) and JWT (RS256) -------------------------------------------------------------
  const ed = await generateKeyPair('EdDSA', { extractable: true });
  const edJwk = { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' };
  const edSig = await crypto.subtle.sign(
    { name: 'Ed25519' },
    ed.privateKey,
    new TextEncoder().encode(`${id}.${ts}.${body}`),
  );
  const v1aHeaders = headers(`v1a,${Buffer.from(edSig).toString('base64')}`);
  const whpk = `whpk_${Buffer.from(edJwk.x!, 'base64url').toString('base64')}`;
  const fromWhpk = new WebhookVerifier({ publicKeys: whpk, now });
  const others = await Promise.all(
    [2, 3, 4].map(async (n) => ({ ...(await exportJWK((await generateKeyPair('EdDSA')).publicKey)), kid: `ed-${n}` })),
  );
  const fromJwks = new WebhookVerifier({ jwks: { keys: [edJwk] }, now });
  const fromJwks4 = new WebhookVerifier({ jwks: { keys: [...others, edJwk] }, now });
  const fromWhpkWebCrypto = new WebhookVerifier({ publicKeys: whpk, now, ed25519: 'webcrypto' });

  const rsa = await generateKeyPair('RS256', { extractable: true });
  const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  const bodyHash = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body))).toString(
    'base64url',
  );
  const token = await new SignJWT({ ...(JSON.parse(body) as object), body_sha256: bodyHash })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1' })
    .setIssuer('https://herald.example')
    .setAudience(audience)
    .setIssuedAt(ts)
    .setExpirationTime(ts + 300)
    .setJti(id)
    .sign(rsa.privateKey);
  const jwtVerifier = new WebhookVerifier({ jwks: { keys: [rsaJwk] }, jwt: { audience }, now });
  const jwtHeaders = headers(token);

  // The floor: one node:crypto Ed25519 verify of the same signed content, key imported once.
  const bareKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: edJwk.x! }, format: 'jwk' });
  const signedContent = Buffer.from(`${id}.${ts}.${body}`);
  const edSigBytes = new Uint8Array(edSig);
  const bare = (): void => {
    if (!nodeVerify(null, signedContent, bareKey, edSigBytes)) throw new Error('bare verify failed');
  };
  const v1a: Contender[] = [
    { name: 'bare node:crypto Ed25519 verify', op: bare },
    { name: 'v1a whpk_ key', op: () => fromWhpk.verify(body, v1aHeaders), async: true },
    { name: 'v1a local JWKS, 1 Ed25519 key', op: () => fromJwks.verify(body, v1aHeaders), async: true },
    { name: 'v1a local JWKS, 4 keys (match is last)', op: () => fromJwks4.verify(body, v1aHeaders), async: true },
  ];
  for (const c of v1a) await c.op();
  // Rounds of at least 150 ms even in quick runs: CPU time is accounted in ticks, and these rates
  // are a 0.8× target, so short rounds would be mostly noise.
  const v1aResults = await compare('v1a (Ed25519) verify vs bare node:crypto, higher is better', v1a, 5, 200, 150);

  const asym: Contender[] = [
    { name: 'v1 WebhookVerifier (async, reference)', op: () => oursAsync.verify(body, h), async: true },
    {
      name: 'v1a whpk_ key, WebCrypto (edge runtimes)',
      op: () => fromWhpkWebCrypto.verify(body, v1aHeaders),
      async: true,
    },
    { name: 'JWT RS256 + body_sha256, local JWKS', op: () => jwtVerifier.verify(body, jwtHeaders), async: true },
  ];
  for (const c of asym) await c.op();
  await compare('asymmetric schemes (@herald/webhooks), higher is better', asym, 5, 200);

  const sw = v1Results.get(v1[0]!.name)!;
  const fast = v1Results.get('@herald/webhooks Webhook.verify (node:crypto)')!;
  const ratio = fast / sw;
  console.log(`\nv1 target ≥ 3× standardwebhooks: ${ratio.toFixed(2)}× → ${ratio >= 3 ? 'met' : 'NOT met'}`);
  const bareRate = v1aResults.get(v1a[0]!.name)!;
  const worstV1a = Math.min(...v1a.slice(1).map((c) => v1aResults.get(c.name)! / bareRate));
  console.log(
    `v1a target ≥ 0.8× bare node:crypto (slowest v1a row): ${worstV1a.toFixed(2)}× → ${worstV1a >= 0.8 ? 'met' : 'NOT met'}`,
  );
  console.log(`total ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

await main();
