import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * Errors Fastify's router raises before any route runs (a path segment over `maxParamLength`, a
 * URL it cannot decode), answered like every other error: a Google-style body that says what to
 * fix, not Fastify's own shape.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const api = tooLong
    ? new ApiError(
        'INVALID_ARGUMENT',
        'A path segment is longer than 100 characters; no Herald id is that long: check the URL',
        414,
      )
    : new ApiError('INVALID_ARGUMENT', `Malformed URL: ${err.message}; check its percent-encoding`);
  void reply.code(api.httpCode).send(api.toBody());
}
