import { DELIVERY_STATUSES, type DeliveryStatus } from '@herald/contracts';
import { percentilesOf, type DeliveryOverview } from '../../model/overview-records.js';

/** The rows a dialect reads for one project's overview (see `ReadModels.deliveryOverview`). */
export interface OverviewRows {
  /** Deliveries created since `q.since`, per status. */
  byStatus: { status: string; n: number }[];
  /** Pending and in-flight deliveries, per status, with the oldest `created_at`. */
  backlog: { status: string; n: number; oldest: number | null }[];
  /** Attempts since `q.since`, and how many got a 2xx. */
  totals: { n: number; ok: number | null } | undefined;
  /** The latest attempts (at most `q.maxSample`), with their delivery's `created_at`. */
  sample: { duration_ms: number; number: number; status_code: number | null; started_at: number; created_at: number }[];
}

/** Turns the overview rows into counts, backlog and percentiles, the same on both dialects. */
export function deliveryOverviewOf(rows: OverviewRows): DeliveryOverview {
  const deliveries = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const r of rows.byStatus) if (r.status in deliveries) deliveries[r.status as DeliveryStatus] = r.n;
  const { sample, totals } = rows;
  const durations = sample.map((s) => s.duration_ms).sort((a, b) => a - b);
  const latencies = sample
    .filter((s) => s.number === 1 && s.status_code !== null && s.status_code >= 200 && s.status_code < 300)
    .map((s) => Math.max(0, s.started_at + s.duration_ms - s.created_at))
    .sort((a, b) => a - b);
  const { pending, inFlight, oldestPendingCreatedAt } = backlogOf(rows.backlog);
  return {
    deliveries,
    backlog: { pending, inFlight, oldestPendingCreatedAt },
    attempts: {
      count: totals?.n ?? 0,
      succeeded: totals?.ok ?? 0,
      sampled: sample.length,
      durationMs: percentilesOf(durations),
      notificationLatencyMs: percentilesOf(latencies),
    },
  };
}

/** Pending and in-flight counts and the oldest of them, from per-status rows (overview and /metrics). */
export function backlogOf(rows: { status: string; n: number; oldest: number | null }[]): {
  pending: number;
  inFlight: number;
  oldestPendingCreatedAt: number | null;
} {
  const oldest = rows.map((r) => r.oldest).filter((o): o is number => o !== null);
  return {
    pending: rows.find((r) => r.status === 'pending')?.n ?? 0,
    inFlight: rows.find((r) => r.status === 'in_flight')?.n ?? 0,
    oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
  };
}
