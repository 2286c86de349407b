import { RotateSigningKeysRequest, SigningKeyList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SigningKeyService } from '../../keys/signing-key-service.js';
import type { SigningAlgorithm } from '../../model/signing-records.js';
import { presentSigningKey } from '../present-signing.js';
import { requireAdmin } from '../project-scope.js';

export interface SigningKeyRoutesOptions {
  signingKeys: SigningKeyService;
}

/**
 * The instance's dynamic-webhook signing keys: `GET /signingKeys` lists the published keys,
 * `POST /signingKeys:rotate` (admin key; `{"alg"?: "EdDSA" | "RS256"}`) replaces the active key of each (or the
 * given) algorithm; the retired key stays in the JWKS for 10 minutes and never signs again.
 */
export const signingKeyRoutes: FastifyPluginAsyncTypebox<SigningKeyRoutesOptions> = async (app, { signingKeys }) => {
  const tags = ['signing'];

  app.get(
    '/signingKeys',
    { schema: { tags, summary: 'List the published dynamic-webhook signing keys', response: { 200: SigningKeyList } } },
    async () => ({ signing_keys: (await signingKeys.published()).map(presentSigningKey) }),
  );

  app.post(
    '/signingKeys::rotate',
    {
      schema: {
        tags,
        summary: 'Rotate the dynamic-webhook signing keys (admin key; retired keys stay published for 10 minutes)',
        body: Type.Union([RotateSigningKeysRequest, Type.Null()]),
        response: { 200: SigningKeyList },
      },
      // Instance-wide: every project's dynamic deliveries are signed with these keys.
      onRequest: requireAdmin,
    },
    async (req) => {
      const alg = req.body?.alg as SigningAlgorithm | undefined;
      const keys = await signingKeys.rotate(alg === undefined ? undefined : [alg]);
      return { signing_keys: keys.map(presentSigningKey) };
    },
  );
};
