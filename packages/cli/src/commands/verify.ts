/**
 * `herald verify`: does a captured webhook request verify, and if not, why.
 * @module
 */

import { readFileSync } from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import type {
  VerifiedDelivery,
  WebhookErrorCode,
  WebhookVerificationError,
  WebhookVerifierOptions,
} from '@herald/webhooks';
import { CaptureError, headerObject, parseCapture, type CapturedRequest } from '../capture.js';
import { UsageError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { renderFields } from '../ui/table.js';
import { clean, formatDuration, formatRelative, formatTime } from '../ui/text.js';
import { examples, intOption, outputOf, repeatOption } from './shared.js';

interface VerifyFlags {
  secret?: string[] | undefined;
  publicKey?: string[] | undefined;
  jwks?: string | undefined;
  audience?: string[] | undefined;
  issuer?: string | undefined;
  file?: string | undefined;
  tolerance: number;
  ignoreTimestamp?: boolean | undefined;
}

/** The stable `--json` shape of `herald verify`. */
export type VerifyResult =
  | {
      verified: true;
      scheme: VerifiedDelivery['scheme'];
      webhook_id: string;
      timestamp: string;
      kid?: string;
      event: unknown;
      notes: string[];
    }
  | { verified: false; code: WebhookErrorCode; message: string; reason: string; notes: string[] };

async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined && file !== '-') {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (process.stdin.isTTY) {
    throw new UsageError('no request to verify: pass --file request.txt, or pipe the captured request on stdin');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headerValue(capture: CapturedRequest, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = capture.headers[n];
    if (v !== undefined && v.length > 0) return v.join(' ');
  }
  return undefined;
}

/** The JWT audience to expect: `--audience`, else the URL the capture was sent to. */
function audienceOf(flags: VerifyFlags, capture: CapturedRequest): string[] | undefined {
  if (flags.audience && flags.audience.length > 0) return flags.audience;
  const target = capture.target;
  if (target === undefined) return undefined;
  if (/^https?:\/\//.test(target)) return [target];
  const host = headerValue(capture, 'host');
  if (host === undefined || !target.startsWith('/')) return undefined;
  return [`https://${host}${target}`, `http://${host}${target}`];
}

function loadJwks(value: string): NonNullable<WebhookVerifierOptions['jwks']> {
  if (/^https?:\/\//.test(value)) return value;
  try {
    return JSON.parse(readFileSync(value, 'utf8')) as NonNullable<WebhookVerifierOptions['jwks']>;
  } catch (err) {
    throw new UsageError(`--jwks must be an http(s) URL or a JWKS JSON file; cannot read "${value}"`, { cause: err });
  }
}

type Verify = (body: Uint8Array) => Promise<VerifiedDelivery>;
/** The SDK, loaded when `verify` runs (it pulls in jose). */
type Sdk = typeof import('@herald/webhooks');

function buildVerifier(sdk: Sdk, flags: VerifyFlags, capture: CapturedRequest): Verify {
  const secrets = flags.secret ?? [];
  const publicKeys = flags.publicKey ?? [];
  if (secrets.length === 0 && publicKeys.length === 0 && flags.jwks === undefined) {
    throw new UsageError(
      'nothing to verify with: pass --secret whsec_… (v1), or --jwks <url> / --public-key whpk_… (v1a, JWT)',
    );
  }
  let now: (() => number) | undefined;
  if (flags.ignoreTimestamp) {
    const ts = headerValue(capture, 'webhook-timestamp', 'svix-timestamp');
    if (ts !== undefined && /^\d{1,15}$/.test(ts)) now = () => Number(ts) * 1000;
  }
  const common = { tolerance: flags.tolerance, ...(now ? { now } : {}) };
  try {
    if (publicKeys.length === 0 && flags.jwks === undefined) {
      const wh = new sdk.Webhook(secrets, common);
      return async (body) => wh.verifyDelivery(body, headerObject(capture));
    }
    const audience = audienceOf(flags, capture);
    const verifier = new sdk.WebhookVerifier({
      ...common,
      ...(secrets.length > 0 ? { secrets } : {}),
      ...(publicKeys.length > 0 ? { publicKeys } : {}),
      ...(flags.jwks !== undefined ? { jwks: loadJwks(flags.jwks) } : {}),
      ...(flags.jwks !== undefined && audience
        ? { jwt: { audience, ...(flags.issuer !== undefined ? { issuer: flags.issuer } : {}) } }
        : {}),
    });
    return (body) => verifier.verifyDelivery(body, headerObject(capture));
  } catch (err) {
    if (err instanceof sdk.WebhookVerificationError) {
      const flag =
        err.code === 'ERR_INVALID_SECRET' ? '--secret' : err.code === 'ERR_INVALID_KEY' ? '--public-key' : 'options';
      throw new UsageError(`${flag}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Signature schemes present in the header: `v1`, `v1a`, `jwt`, or other version tags. */
function schemesIn(signature: string | undefined): string[] {
  if (signature === undefined) return [];
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(signature.trim())) return ['jwt'];
  return [
    ...new Set(
      signature
        .split(' ')
        .map((s) => s.split(',')[0] ?? '')
        .filter(Boolean),
    ),
  ];
}

/** Why a verification failed, in terms of what to check. */
function explain(err: WebhookVerificationError, capture: CapturedRequest, flags: VerifyFlags): string {
  const signature = headerValue(capture, 'webhook-signature', 'svix-signature');
  const ts = headerValue(capture, 'webhook-timestamp', 'svix-timestamp');
  const age = ts !== undefined && /^\d+$/.test(ts) ? Date.now() - Number(ts) * 1000 : undefined;
  switch (err.code) {
    case 'ERR_MISSING_HEADERS': {
      const missing = [
        ['webhook-id', 'svix-id'],
        ['webhook-timestamp', 'svix-timestamp'],
        ['webhook-signature', 'svix-signature'],
      ]
        .filter((names) => headerValue(capture, ...names) === undefined)
        .map((names) => names[0]!);
      return `the capture has no ${missing.join(', ') || 'usable webhook'} header: capture every request header, not just the body`;
    }
    case 'ERR_INVALID_HEADERS':
      return `a webhook header is malformed (${err.message}): webhook-timestamp must be Unix seconds, and webhook-id/webhook-timestamp must appear once`;
    case 'ERR_TIMESTAMP_TOO_OLD':
      return (
        `webhook-timestamp is ${age !== undefined ? formatDuration(age) : 'too far'} in the past, beyond the ${flags.tolerance} s tolerance: ` +
        'a replayed or very late request, or simply an old capture (add --ignore-timestamp to check the signature alone)'
      );
    case 'ERR_TIMESTAMP_TOO_NEW':
      return `webhook-timestamp is ${age !== undefined ? formatDuration(-age) : 'too far'} in the future: check the clocks of this machine and of the sender`;
    case 'ERR_SIGNATURE_MISMATCH':
      return (
        'signatures are present but none matches: the body, webhook-id or webhook-timestamp changed after signing ' +
        '(re-serialised JSON, a proxy, an added newline), or the secret/key is not the one that signed ' +
        '(rotated? pass every current secret with --secret)'
      );
    case 'ERR_NO_SUPPORTED_SIGNATURE': {
      const found = schemesIn(signature);
      const found_ = found.length > 0 ? found.join(', ') : 'no';
      if (found.includes('jwt') && flags.jwks !== undefined) {
        return `the signature is a JWT but no audience is known: pass --audience <the webhook's URL>`;
      }
      return `webhook-signature carries ${found_} signatures and none of a scheme you gave keys for: --secret verifies v1; --jwks or --public-key verify v1a, and --jwks verifies JWT`;
    }
    case 'ERR_JWKS_UNAVAILABLE':
      return `the JWKS could not be fetched (${err.message}): check --jwks ${flags.jwks ?? ''}`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "no key of the JWKS matches the signature's kid or algorithm: is --jwks the signer's key set, and was a key rotated out?";
    case 'ERR_JWT_INVALID':
      return `the JWT in webhook-signature is malformed or uses a disallowed algorithm (${err.message})`;
    case 'ERR_JWT_CLAIM':
      return err.claim === 'aud'
        ? `the JWT audience does not match (${err.message}): pass --audience <the webhook's URL>`
        : `a JWT claim check failed (${err.message})`;
    case 'ERR_BODY_MISMATCH':
      return "the body's SHA-256 differs from the JWT body_sha256 claim: the body changed after signing";
    case 'ERR_PAYLOAD_INVALID':
      return 'the signature is valid but the body is not a JSON webhook event';
    case 'ERR_PAYLOAD_TOO_LARGE':
    case 'ERR_DUPLICATE':
    case 'ERR_INVALID_SECRET':
    case 'ERR_INVALID_KEY':
    case 'ERR_INVALID_OPTIONS':
      return err.message;
  }
}

function report(out: Output, result: VerifyResult): void {
  const { c } = out;
  out.result(result, () => {
    if (result.verified) {
      const event = result.event as { type?: unknown } | undefined;
      const scheme = { v1: 'v1 (HMAC-SHA256)', v1a: 'v1a (Ed25519)', jwt: 'JWT' }[result.scheme];
      return [
        c.green(`✓ verified: ${scheme} signature`),
        renderFields(
          [
            ['webhook-id', clean(result.webhook_id)],
            ['sent', `${formatTime(result.timestamp)} ${c.dim(`(${formatRelative(result.timestamp)})`)}`],
            ['kid', result.kid !== undefined ? clean(result.kid) : undefined],
            ['event', typeof event?.type === 'string' ? clean(event.type) : undefined],
          ].map(([l, v]) => [`  ${l!}`, v] as const),
          c.dim,
        ),
      ].join('\n');
    }
    return [c.red(`✗ not verified: ${result.code} (${clean(result.message)})`), `  why: ${clean(result.reason)}`].join(
      '\n',
    );
  });
  for (const note of result.notes) out.hint(`note: ${note}`);
}

export function verifyCommand() {
  return new Command('verify')
    .description('Check whether a captured webhook request verifies, and say why not')
    .option('--secret <whsec>', 'v1 signing secret (whsec_…); repeat for rotated secrets', repeatOption)
    .option('--jwks <url|file>', 'JWKS for v1a (Ed25519) and JWT signatures, e.g. http://herald/.well-known/jwks.json')
    .option('--public-key <whpk>', 'v1a Ed25519 public key (whpk_…); repeatable', repeatOption)
    .option('--audience <url>', 'expected JWT aud (default: the URL the capture was sent to)', repeatOption)
    .option('--issuer <url>', 'expected JWT iss (not checked when omitted)')
    .option('--file <path>', 'the captured request (default: stdin)')
    .option('--tolerance <seconds>', 'allowed age of webhook-timestamp', intOption(0, 10 * 365 * 86400), 300)
    .option('--ignore-timestamp', 'check the signature even if the capture is older than the tolerance')
    .addHelpText(
      'after',
      `
The capture is the raw request: an optional request line, the headers, an empty line, then the
body exactly as received (as \`nc -l 3000\` prints it). Content-Length, if present, bounds the body.

Exit status: 0 verified, 1 not verified (the reason code is printed), 2 bad flags or unreadable capture.
${examples(
  'herald verify --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --file request.txt',
  'nc -l 3000 | herald verify --secret "$HERALD_WEBHOOK_SECRET"',
  'herald verify --jwks http://127.0.0.1:8080/.well-known/jwks.json --file request.txt',
  'herald verify --secret whsec_… --file old-capture.txt --ignore-timestamp --json',
)}`,
    )
    .action(async (opts, cmd) => {
      const out = outputOf(cmd);
      const input = await readInput(opts.file);
      let capture: CapturedRequest;
      try {
        capture = parseCapture(input);
      } catch (err) {
        if (err instanceof CaptureError)
          throw new UsageError(`cannot read the capture: ${err.message}`, { cause: err });
        throw err;
      }
      const sdk = await import('@herald/webhooks');
      const verify = buildVerifier(sdk, opts, capture);
      const notes = [...capture.notes];
      let delivery: VerifiedDelivery;
      try {
        try {
          delivery = await verify(capture.body);
        } catch (err) {
          const retryable =
            err instanceof sdk.WebhookVerificationError &&
            err.code === 'ERR_SIGNATURE_MISMATCH' &&
            capture.maybeAddedNewline;
          if (!retryable) throw err;
          const trimmed = capture.body.subarray(0, capture.body.length - (capture.body.at(-2) === 13 ? 2 : 1));
          delivery = await verify(trimmed).catch(() => {
            throw err;
          });
          notes.push(
            'verified without the line break at the end of the capture: the sender did not send it (an editor or shell added it)',
          );
        }
      } catch (err) {
        if (!(err instanceof sdk.WebhookVerificationError)) throw err;
        report(out, {
          verified: false,
          code: err.code,
          message: err.message,
          reason: explain(err, capture, opts),
          notes,
        });
        process.exitCode = 1;
        return;
      }
      report(out, {
        verified: true,
        scheme: delivery.scheme,
        webhook_id: delivery.id,
        timestamp: new Date(delivery.timestamp * 1000).toISOString(),
        ...(delivery.kid !== undefined ? { kid: delivery.kid } : {}),
        event: delivery.event,
        notes,
      });
    });
}
