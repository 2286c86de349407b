import { ApiError } from '../../http/api-error.js';
import { errorInfo, type ErrorDetail } from '../../http/error-details.js';

/** A simulated per-minute request quota on the generation methods (HERALD_SIM_RPM). */
export interface RequestQuota {
  /** Counts one request of `projectId` for `model`; over the quota, throws Gemini's 429. */
  take(projectId: string, model: string): void;
}

const WINDOW_MS = 60_000;

/** Gemini's 429 body: RESOURCE_EXHAUSTED with QuotaFailure, ErrorInfo and RetryInfo details. */
export function quotaExceeded(model: string, limit: number, retryAfterSeconds: number): ApiError {
  const quotaFailure: ErrorDetail = {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model',
        quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
        quotaDimensions: { location: 'global', model },
        quotaValue: String(limit),
      },
    ],
  };
  return new ApiError(
    'RESOURCE_EXHAUSTED',
    `You exceeded your current quota of ${limit} requests per minute for ${model} (HERALD_SIM_RPM). ` +
      `Please retry in ${retryAfterSeconds}s.`,
    undefined,
    // RetryInfo is added from retryAfterSeconds, last, as Gemini orders it.
    {
      retryAfterSeconds,
      details: [quotaFailure, errorInfo('RATE_LIMIT_EXCEEDED', { quota_limit_value: String(limit) })],
    },
  );
}

/**
 * A fixed one-minute window per (project, model) on the injected clock: the first `rpm` requests
 * of a window pass, the rest get `429 RESOURCE_EXHAUSTED` with `Retry-After` = the seconds left in
 * the window. `rpm` 0 means no quota (the default).
 *
 * @example
 * const quota = createRequestQuota({ rpm: 10, now: () => clock.now() });
 * quota.take(req.projectId, 'gemini-2.5-flash');
 */
export function createRequestQuota(opts: { rpm: number; now: () => number }): RequestQuota {
  const windows = new Map<string, { start: number; used: number }>();
  return {
    take(projectId, model) {
      if (opts.rpm <= 0) return;
      const now = opts.now();
      const key = `${projectId}\n${model}`;
      let w = windows.get(key);
      if (!w || now - w.start >= WINDOW_MS) {
        if (windows.size > 10_000) windows.clear();
        w = { start: now, used: 0 };
        windows.set(key, w);
      }
      if (w.used >= opts.rpm)
        throw quotaExceeded(model, opts.rpm, Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)));
      w.used++;
    },
  };
}

/** No quota. */
export const unlimitedQuota: RequestQuota = { take: () => {} };
