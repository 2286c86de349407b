import type { SigningAlgorithm } from '../../keys/signing-keys.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@herald/contracts';
import {
  percentilesOf,
  type DeliveryOverview,
  type DeliveryOverviewQuery,
  type RecentEventsQuery,
} from '../../model/overview-records.js';
import type { EpochMs, EventRecord } from '../../model/records.js';
import type { SigningKeyRecord } from '../../model/signing-records.js';
import { toEvent, toSigningKey, type EventRow, type SigningKeyRow } from '../rows/rows.js';
import type { Tx } from './pg-database.js';

type Reader = Pick<Tx, 'rows' | 'one'>;

/** One project's delivery counts, backlog and attempt percentiles (read-only). */
export async function selectDeliveryOverview(
  tx: Reader,
  projectId: string,
  q: DeliveryOverviewQuery,
): Promise<DeliveryOverview> {
  const deliveries = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  const byStatus = await tx.rows<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM deliveries WHERE project_id = $1 AND created_at >= $2 GROUP BY status',
    [projectId, q.since],
  );
  for (const r of byStatus) if (r.status in deliveries) deliveries[r.status as DeliveryStatus] = r.n;

  const backlogRows = await tx.rows<{ status: string; n: number; oldest: number | null }>(
    `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
     WHERE project_id = $1 AND status IN ('pending', 'in_flight') GROUP BY status`,
    [projectId],
  );
  const oldest = backlogRows.map((r) => r.oldest).filter((o): o is number => o !== null);

  const totals = await tx.one<{ n: number; ok: number | null }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299) AS ok
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
     WHERE d.project_id = $1 AND a.started_at >= $2`,
    [projectId, q.since],
  );
  const sample = await tx.rows<{
    duration_ms: number;
    number: number;
    status_code: number | null;
    started_at: number;
    created_at: number;
  }>(
    `SELECT a.duration_ms, a.number, a.status_code, a.started_at, d.created_at
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
     WHERE d.project_id = $1 AND a.started_at >= $2
     ORDER BY a.started_at DESC LIMIT $3`,
    [projectId, q.since, q.maxSample],
  );
  const durations = sample.map((s) => s.duration_ms).sort((a, b) => a - b);
  const latencies = sample
    .filter((s) => s.number === 1 && s.status_code !== null && s.status_code >= 200 && s.status_code < 300)
    .map((s) => Math.max(0, s.started_at + s.duration_ms - s.created_at))
    .sort((a, b) => a - b);

  return {
    deliveries,
    backlog: {
      pending: backlogRows.find((r) => r.status === 'pending')?.n ?? 0,
      inFlight: backlogRows.find((r) => r.status === 'in_flight')?.n ?? 0,
      oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
    },
    attempts: {
      count: totals?.n ?? 0,
      succeeded: totals?.ok ?? 0,
      sampled: sample.length,
      durationMs: percentilesOf(durations),
      notificationLatencyMs: percentilesOf(latencies),
    },
  };
}

/** The project's events, newest first, optionally of some types or one operation, before a sequence. */
export async function selectRecentEvents(tx: Reader, projectId: string, q: RecentEventsQuery): Promise<EventRecord[]> {
  const where = ['project_id = $1'];
  const args: unknown[] = [projectId];
  const add = (clause: string, value: unknown) => {
    args.push(value);
    where.push(clause.replace('?', `$${args.length}`));
  };
  if (q.beforeSequence !== undefined) add('sequence < ?', q.beforeSequence);
  if (q.operation !== undefined) add('operation = ?', q.operation);
  if (q.types && q.types.length > 0) add('type = ANY(?::text[])', q.types);
  args.push(q.pageSize);
  const rows = await tx.rows<EventRow>(
    `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY sequence DESC LIMIT $${args.length}`,
    args,
  );
  return rows.map(toEvent);
}

export async function selectActiveSigningKey(tx: Reader, alg: SigningAlgorithm): Promise<SigningKeyRecord | undefined> {
  const r = await tx.one<SigningKeyRow>('SELECT * FROM signing_keys WHERE alg = $1 AND retired_at IS NULL', [alg]);
  return r ? toSigningKey(r) : undefined;
}

export async function selectPublishedSigningKeys(tx: Reader, now: EpochMs): Promise<SigningKeyRecord[]> {
  const rows = await tx.rows<SigningKeyRow>(
    `SELECT * FROM signing_keys WHERE retired_at IS NULL OR expire_at > $1
     ORDER BY retired_at IS NOT NULL, alg, created_at DESC, kid`,
    [now],
  );
  return rows.map(toSigningKey);
}

/**
 * Inserts `k` as the active key of its algorithm unless one exists. The partial unique index
 * (one active key per algorithm) settles a race between processes: the loser inserts nothing
 * and reads the winner's key.
 */
export async function insertSigningKeyIfNone(tx: Tx, k: SigningKeyRecord): Promise<SigningKeyRecord> {
  const inserted = await tx.run(
    `INSERT INTO signing_keys (kid, alg, sealed_private_key, public_jwk, created_at, retired_at, expire_at)
     VALUES ($1, $2, $3, $4, $5, NULL, NULL) ON CONFLICT DO NOTHING`,
    [k.kid, k.alg, k.sealedPrivateKey, JSON.stringify(k.publicJwk), k.createdAt],
  );
  if (inserted > 0) return { ...k, retiredAt: null, expireAt: null };
  return (await selectActiveSigningKey(tx, k.alg))!;
}

export async function rotateSigningKeyInTx(
  tx: Tx,
  k: SigningKeyRecord,
  publishUntil: EpochMs,
): Promise<SigningKeyRecord | undefined> {
  const previous = await tx.one<SigningKeyRow>(
    'SELECT * FROM signing_keys WHERE alg = $1 AND retired_at IS NULL FOR UPDATE',
    [k.alg],
  );
  if (previous) {
    await tx.run('UPDATE signing_keys SET retired_at = $1, expire_at = $2 WHERE kid = $3', [
      k.createdAt,
      publishUntil,
      previous.kid,
    ]);
  }
  await tx.run(
    `INSERT INTO signing_keys (kid, alg, sealed_private_key, public_jwk, created_at, retired_at, expire_at)
     VALUES ($1, $2, $3, $4, $5, NULL, NULL)`,
    [k.kid, k.alg, k.sealedPrivateKey, JSON.stringify(k.publicJwk), k.createdAt],
  );
  return previous ? { ...toSigningKey(previous), retiredAt: k.createdAt, expireAt: publishUntil } : undefined;
}
