import type { ErrorStatus } from '@herald/contracts';

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
 * what to change. `httpCode` overrides the status's usual code (413 for an oversized body).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ErrorStatus;
  readonly httpCode: number;

  constructor(status: ErrorStatus, message: string, httpCode?: number) {
    super(message);
    this.status = status;
    this.httpCode = httpCode ?? HTTP_CODES[status];
  }

  toBody(): { error: { code: number; message: string; status: ErrorStatus } } {
    return { error: { code: this.httpCode, message: this.message, status: this.status } };
  }
}

export const invalidArgument = (message: string) => new ApiError('INVALID_ARGUMENT', message);
export const failedPrecondition = (message: string) => new ApiError('FAILED_PRECONDITION', message);
export const notFound = (message: string) => new ApiError('NOT_FOUND', message);
export const unauthenticated = (message: string) => new ApiError('UNAUTHENTICATED', message);
export const permissionDenied = (message: string) => new ApiError('PERMISSION_DENIED', message);
export const payloadTooLarge = (message: string) => new ApiError('INVALID_ARGUMENT', message, 413);
