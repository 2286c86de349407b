import type { ErrorStatus } from '@herald/contracts';
import { badRequest, retryInfo, type ErrorDetail } from './error-details.js';

/** HTTP status for each canonical error status (Google API conventions). */
const HTTP_CODES: Record<ErrorStatus, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/**
 * The server's one error type. It renders as a Google-style body
 * `{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}`; the message always says
 * what to change. `httpCode` overrides the status's usual code (413 for an oversized body);
 * `retryAfterSeconds`, when set, is sent as the `Retry-After` header and as a `RetryInfo` detail;
 * `details` are `google.rpc` details (error-details.ts), sent as `error.details` when there are any.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ErrorStatus;
  readonly httpCode: number;
  readonly retryAfterSeconds: number | undefined;
  readonly details: readonly ErrorDetail[];
  /** Close the connection after this answer (a request refused for its API key: its body is never read). */
  readonly closeConnection: boolean;

  constructor(
    status: ErrorStatus,
    message: string,
    httpCode?: number,
    opts: { retryAfterSeconds?: number; details?: readonly ErrorDetail[]; closeConnection?: boolean } = {},
  ) {
    super(message);
    this.closeConnection = opts.closeConnection === true;
    this.status = status;
    this.httpCode = httpCode ?? HTTP_CODES[status];
    this.retryAfterSeconds = opts.retryAfterSeconds;
    const retry = opts.retryAfterSeconds !== undefined ? [retryInfo(opts.retryAfterSeconds)] : [];
    this.details = [...(opts.details ?? []), ...retry];
  }

  toBody(): { error: { code: number; message: string; status: ErrorStatus; details?: ErrorDetail[] } } {
    const error = { code: this.httpCode, message: this.message, status: this.status };
    return { error: this.details.length > 0 ? { ...error, details: [...this.details] } : error };
  }
}

/** `400 INVALID_ARGUMENT`; with `field`, a `BadRequest` detail names the field (its path in the request). */
export const invalidArgument = (message: string, field?: string) =>
  new ApiError('INVALID_ARGUMENT', message, undefined, {
    ...(field !== undefined ? { details: [badRequest([{ field, description: message }])] } : {}),
  });
export const failedPrecondition = (message: string) => new ApiError('FAILED_PRECONDITION', message);
export const notFound = (message: string) => new ApiError('NOT_FOUND', message);
export const unauthenticated = (message: string) => new ApiError('UNAUTHENTICATED', message);
export const permissionDenied = (message: string) => new ApiError('PERMISSION_DENIED', message);
export const payloadTooLarge = (message: string) => new ApiError('INVALID_ARGUMENT', message, 413);
/** `429 RESOURCE_EXHAUSTED` with `Retry-After` and a `RetryInfo` detail. */
export const resourceExhausted = (message: string, retryAfterSeconds: number) =>
  new ApiError('RESOURCE_EXHAUSTED', message, undefined, { retryAfterSeconds });

/** Seconds a client is told to wait (`Retry-After`) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * `503 UNAVAILABLE`: the database cannot be reached right now (PostgreSQL down, restarting or
 * failing over; SQLite locked past its busy timeout). Nothing was changed unless the request was
 * already committed, so a retry with the same `Idempotency-Key` is safe.
 */
export const databaseUnavailable = () =>
  new ApiError(
    'UNAVAILABLE',
    `The request could not be served because the database is unavailable; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
    undefined,
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
