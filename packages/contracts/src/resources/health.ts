import { Type, type Static } from 'typebox';

/** `/healthz` (`ok`) and `/readyz` (`ready`, or `unavailable` with a 503). */
export const HealthStatus = Type.Object(
  { status: Type.Enum(['ok', 'ready', 'unavailable'], { type: 'string' }) },
  { $id: 'HealthStatus' },
);
export type HealthStatus = Static<typeof HealthStatus>;
