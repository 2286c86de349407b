import { signJwt } from './sign-jwt.js';
import { signV1a } from './sign-v1a.js';
import type { KeyRing } from './key-ring.js';
import { SigningError } from './signing-error.js';
import type { ClaimedDelivery } from '../../model/records.js';
import type { ProjectRepo } from '../../ports/project-repo.js';
import type { AttemptSigner } from './attempt-signer.js';
import { DEFAULT_DYNAMIC_SIGNING } from '../../model/signing-records.js';

/**
 * Signs dynamic (`webhook_config.uris`) deliveries asymmetrically, afresh for every attempt, in the
 * project's mode (read per attempt, so a change applies to the next attempt):
 * - `jwt` (the default, as the Gemini guide documents): `webhook-signature: <RS256 JWT>` with the
 *   active RS256 key, `iss` = Herald's public URL, `aud` = the project's configured audience or else
 *   the destination URI, `iat` = `webhook-timestamp`, `jti` = `webhook-id`;
 * - `v1a`: `webhook-signature: v1a,<base64 Ed25519 over id.timestamp.body>` with the active EdDSA
 *   key (what live Gemini deliveries were reported to carry, python-genai#2927).
 * `webhook-id` and `webhook-timestamp` are sent in both modes.
 *
 * @example
 * const signer = createDynamicSigner({ store, keyRing: createKeyRing({ store, secretBox }), issuer: config.publicUrl });
 */
export function createDynamicSigner(deps: {
  store: ProjectRepo;
  keyRing: KeyRing;
  /** The JWT `iss`: HERALD_PUBLIC_URL, read at signing time (it may be known only once listening). */
  issuer: string | (() => string);
}): AttemptSigner {
  return {
    async sign(d: ClaimedDelivery, timestampSeconds: number) {
      if (d.destType !== 'dynamic') throw new SigningError(`dynamic signer got a ${d.destType} delivery`);
      const settings = await deps.store.getProjectSettings(d.projectId);
      const mode = settings?.dynamicSigning ?? DEFAULT_DYNAMIC_SIGNING;
      const headers = { 'webhook-id': d.messageId, 'webhook-timestamp': String(timestampSeconds) };
      if (mode === 'jwt') {
        const { kid, privateKey } = await deps.keyRing.active('RS256');
        const token = await signJwt({
          privateKey,
          kid,
          issuer: typeof deps.issuer === 'function' ? deps.issuer() : deps.issuer,
          audience: settings?.dynamicAudience ?? d.uri,
          msgId: d.messageId,
          body: d.body,
          envelope: JSON.parse(d.body) as object,
          now: timestampSeconds * 1000,
        });
        return { ...headers, 'webhook-signature': token };
      }
      const { privateKey } = await deps.keyRing.active('EdDSA');
      const signature = signV1a({ msgId: d.messageId, timestamp: timestampSeconds, body: d.body, privateKey });
      return { ...headers, 'webhook-signature': signature };
    },
  };
}
