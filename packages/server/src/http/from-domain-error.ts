import type { ErrorStatus } from '@herald/contracts';
import { DomainError, type DomainErrorCode } from '../kernel/domain-errors.js';
import { ApiError } from './api-error.js';

/** The Google status (and, where it differs from the status's usual one, the HTTP code) of each domain error. */
const STATUS: Record<DomainErrorCode, { status: ErrorStatus; httpCode?: number }> = {
  invalid_argument: { status: 'INVALID_ARGUMENT' },
  too_large: { status: 'INVALID_ARGUMENT', httpCode: 413 },
  not_found: { status: 'NOT_FOUND' },
  already_exists: { status: 'ALREADY_EXISTS' },
  failed_precondition: { status: 'FAILED_PRECONDITION' },
  permission_denied: { status: 'PERMISSION_DENIED' },
  lease_lost: { status: 'ABORTED' },
  resource_exhausted: { status: 'RESOURCE_EXHAUSTED' },
};

/**
 * The HTTP rendering of a domain error: the same message under its Google status, with
 * `Retry-After` for a rate limit that says when.
 */
export function fromDomainError(err: DomainError): ApiError {
  const { status, httpCode } = STATUS[err.code];
  const retryAfterSeconds = 'retryAfterSeconds' in err ? (err.retryAfterSeconds as number | undefined) : undefined;
  return new ApiError(status, err.message, httpCode, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
}

/** `err` as an ApiError when it is one or a domain error; undefined for anything else (a bug, a driver error). */
export function asApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return fromDomainError(err);
  return undefined;
}
