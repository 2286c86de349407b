import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Jwks } from '@herald/contracts';
import type { SigningKeyService } from '../../keys/signing-key-service.js';

export interface JwksRoutesOptions {
  signingKeys: SigningKeyService;
}

/** `max-age` of the JWKS: receivers refetch at least this often, and at once on an unknown `kid`. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Whether an `If-None-Match` header matches the entity tag (weak comparison, `*` allowed). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * `GET /.well-known/jwks.json` (no API key): the public keys that verify dynamic deliveries, OKP
 * (Ed25519, `v1a`) and RSA (RS256, JWT), each with `kid`, `use: 'sig'` and `alg`; retired keys stay
 * until nothing they signed can still verify. Cacheable, with an ETag and 304 revalidation.
 */
export const jwksRoutes: FastifyPluginAsync<JwksRoutesOptions> = async (app, { signingKeys }) => {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['signing'],
        summary: 'Public keys (JWKS) that verify dynamic-webhook signatures; no API key needed',
        security: [],
        response: {
          200: { content: { 'application/jwk-set+json': { schema: Jwks } } },
          304: { description: 'Not modified: the If-None-Match entity tag still matches', type: 'null' },
        },
      },
    },
    async (req, reply) => {
      const body = JSON.stringify(await signingKeys.jwks());
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      void reply
        .header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
        .header('etag', etag)
        .header('access-control-allow-origin', '*');
      if (matches(req.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('application/jwk-set+json').send(body);
    },
  );
};
