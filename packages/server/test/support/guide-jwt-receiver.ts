import express from 'express';
import jwt, { type JwtHeader, type JwtPayload, type SigningKeyCallback } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders, Server } from 'node:http';

/** What the guide's receiver saw for one delivery: the decoded claims, or why it rejected it. */
export type GuideVerdict = ({ ok: true; event: JwtPayload } | { ok: false; error: string }) & {
  /** The raw body and headers it received, for checking the same delivery with another verifier. */
  body: string;
  headers: IncomingHttpHeaders;
};

/** The Gemini guide's Node.js receiver for dynamic webhooks, on a real port. */
export interface GuideJwtReceiver {
  readonly url: string;
  readonly verdicts: GuideVerdict[];
  waitFor(n: number): Promise<GuideVerdict[]>;
  close(): Promise<void>;
}

/**
 * The "Verify dynamic signatures (JWKS)" sample of the Gemini webhooks guide
 * (ai.google.dev/gemini-api/docs/webhooks), kept as the guide writes it: Express, `jwks-rsa` for the
 * key by `kid`, `jsonwebtoken` with `{ algorithms: ['RS256'], audience }`, the token read from the
 * `webhook-signature` header. Only the JWKS URI (Herald's, not generativelanguage.googleapis.com)
 * and the audience are filled in; it answers 200 when the token verifies and 401 when not.
 */
export async function startGuideJwtReceiver(opts: { jwksUri: string; audience?: string }): Promise<GuideJwtReceiver> {
  const client = jwksClient({ jwksUri: opts.jwksUri });
  function getKey(header: JwtHeader, callback: SigningKeyCallback) {
    client.getSigningKey(header.kid, (err, key) => {
      if (err || !key) return callback(err ?? new Error('no key'));
      callback(null, key.getPublicKey());
    });
  }

  const verdicts: GuideVerdict[] = [];
  const waiters: { n: number; resolve: (v: GuideVerdict[]) => void }[] = [];
  const record = (v: GuideVerdict) => {
    verdicts.push(v);
    for (const w of waiters.filter((x) => verdicts.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(verdicts.slice());
    }
  };

  const app = express();
  app.post('/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
    const seen = { body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '', headers: req.headers };
    const token = req.headers['webhook-signature'];
    if (typeof token !== 'string') {
      record({ ok: false, error: 'missing webhook-signature', ...seen });
      return void res.status(401).send('missing signature');
    }
    const audience = opts.audience ?? `http://${req.headers.host ?? ''}${req.originalUrl}`;
    jwt.verify(token, getKey, { algorithms: ['RS256'], audience }, (err, event) => {
      if (err) {
        record({ ok: false, error: err.message, ...seen });
        return void res.status(401).send('Invalid signature');
      }
      record({ ok: true, event: event as JwtPayload, ...seen });
      res.status(200).send('OK');
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    verdicts,
    waitFor(n) {
      if (verdicts.length >= n) return Promise.resolve(verdicts.slice());
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
