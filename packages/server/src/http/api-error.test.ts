import { describe, expect, it } from 'vitest';
import { ApiError, databaseUnavailable, invalidArgument, resourceExhausted } from './api-error.js';
import { errorInfo } from './error-details.js';

describe('ApiError bodies (google.rpc.Status)', () => {
  it('has no details unless given, so existing bodies are unchanged', () => {
    expect(new ApiError('NOT_FOUND', 'gone').toBody()).toEqual({
      error: { code: 404, message: 'gone', status: 'NOT_FOUND' },
    });
  });

  it('carries the details it is given, in order', () => {
    const e = new ApiError('INVALID_ARGUMENT', 'bad', undefined, { details: [errorInfo('X', { a: 'b' })] });
    expect(e.toBody().error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'X',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com', a: 'b' },
      },
    ]);
  });

  it('names the field of an invalid argument in a BadRequest', () => {
    expect(invalidArgument('model is required', 'model').toBody().error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ field: 'model', description: 'model is required' }],
      },
    ]);
    expect(invalidArgument('bad').toBody().error).not.toHaveProperty('details');
  });

  it('adds RetryInfo whenever Retry-After is set: 429 RESOURCE_EXHAUSTED and 503 UNAVAILABLE', () => {
    const limited = resourceExhausted('Quota exceeded; retry in 7 s', 7);
    expect(limited.httpCode).toBe(429);
    expect(limited.retryAfterSeconds).toBe(7);
    expect(limited.toBody().error.details).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
    ]);
    expect(databaseUnavailable().toBody().error.details).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '5s' },
    ]);
  });
});
