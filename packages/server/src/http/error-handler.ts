import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ApiError, databaseUnavailable } from './api-error.js';
import { asApiError } from './from-domain-error.js';
import { validationMessage } from './validation-message.js';
import { validationDetails } from './validation-details.js';
import { prepareRefusal } from './refused-request.js';
import type { DiskFullSignal } from './disk-full.js';

function toApiError(err: FastifyError & { validationContext?: string }, maxRequestBytes: number): ApiError | undefined {
  const known = asApiError(err);
  if (known) return known;
  if (err.validation) {
    const context = err.validationContext ?? 'body';
    const details = validationDetails(err.validation, (own) => validationMessage(context, own));
    return new ApiError('INVALID_ARGUMENT', validationMessage(context, err.validation), undefined, { details });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        'INVALID_ARGUMENT',
        `Request body is larger than ${maxRequestBytes} bytes; send less data`,
        413,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'INVALID_ARGUMENT',
        'Unsupported Content-Type: send JSON with "Content-Type: application/json"',
        415,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('INVALID_ARGUMENT', 'Request body is empty: send a JSON object, or omit Content-Type');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('INVALID_ARGUMENT', `Malformed JSON in request body: ${err.message}`);
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new ApiError('INVALID_ARGUMENT', `Malformed JSON in request body: ${err.message}`);
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError('INVALID_ARGUMENT', err.message, err.statusCode);
  }
  return undefined;
}

/** Sends `err` as its Google-style body, with `Retry-After` when it has one. */
function sendApiError(reply: FastifyReply, err: ApiError): FastifyReply {
  if (err.retryAfterSeconds !== undefined) void reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.code(err.httpCode).send(err.toBody());
}

/** What the error handler needs to know. */
export interface ErrorHandlingOptions {
  maxRequestBytes: number;
  /** Whether an error says the database cannot be reached right now (the store's classifier). */
  isUnavailable: (err: unknown) => boolean;
  /** Whether an error says the database's disk is full (the store's classifier). */
  isDiskFull: (err: unknown) => boolean;
  /** Answers a write refused for a full disk, and remembers it for readiness. */
  diskFull: DiskFullSignal;
}

/**
 * Renders every error, and every unknown route, as a Google-style error body: ApiErrors as they
 * are, domain errors by their code (`fromDomainError`). A database that cannot be reached is
 * `503 UNAVAILABLE` with `Retry-After`, not a 500.
 */
export function installErrorHandling(app: FastifyInstance, opts: ErrorHandlingOptions): void {
  const { maxRequestBytes, isUnavailable, isDiskFull, diskFull } = opts;
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const api = toApiError(err, maxRequestBytes);
    if (api) prepareRefusal(req, reply, api, maxRequestBytes);
    if (api) return sendApiError(reply, api);
    if (isDiskFull(err)) return sendApiError(reply, diskFull.refuse());
    if (isUnavailable(err)) {
      req.log.warn({ err: { message: err.message, code: err.code } }, 'database unavailable');
      return sendApiError(reply, databaseUnavailable());
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send(
        new ApiError('INTERNAL', 'Internal error; it has been logged. Retry, and report it if it persists.').toBody(),
      );
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new ApiError(
      'NOT_FOUND',
      `No route for ${req.method} ${req.url.split('?')[0] ?? ''}; see /openapi.json for the API`,
    );
    return reply.code(404).send(e.toBody());
  });
}
