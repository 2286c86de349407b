import type { Project, SigningKey } from '@herald/contracts';
import type { ProjectRecord } from '../model/records.js';
import type { ProjectSettings, SigningKeyRecord } from '../model/signing-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Signing key record → wire resource (public metadata only, never the sealed private key). */
export function presentSigningKey(k: SigningKeyRecord): SigningKey {
  return {
    kid: k.kid,
    alg: k.alg,
    state: k.retiredAt === null ? 'active' : 'retired',
    create_time: iso(k.createdAt),
    ...(k.retiredAt !== null ? { retire_time: iso(k.retiredAt) } : {}),
    ...(k.expireAt !== null ? { expire_time: iso(k.expireAt) } : {}),
    public_jwk: { ...k.publicJwk },
  };
}

/** Project record and settings → wire resource. */
export function presentProject(p: ProjectRecord, s: ProjectSettings): Project {
  return {
    id: p.id,
    name: p.name,
    ...(p.branding
      ? {
          branding: {
            ...(p.branding.logoUri !== undefined ? { logo_uri: p.branding.logoUri } : {}),
            ...(p.branding.accentColor !== undefined ? { accent_color: p.branding.accentColor } : {}),
          },
        }
      : {}),
    ...(p.limits
      ? {
          limits: {
            ...(p.limits.eventsPerSecond !== undefined ? { events_per_second: p.limits.eventsPerSecond } : {}),
            ...(p.limits.maxWebhooks !== undefined ? { max_webhooks: p.limits.maxWebhooks } : {}),
          },
        }
      : {}),
    dynamic_signing: s.dynamicSigning,
    ...(s.dynamicAudience !== undefined ? { dynamic_audience: s.dynamicAudience } : {}),
    create_time: iso(p.createdAt),
  };
}
