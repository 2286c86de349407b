import { describe, expect, it } from 'vitest';
import {
  AlreadyExists,
  FailedPrecondition,
  InvalidArgument,
  LeaseLost,
  NotFound,
  PermissionDenied,
  ResourceExhausted,
  TooLarge,
} from '../kernel/domain-errors.js';
import { fromDomainError } from './from-domain-error.js';

describe('fromDomainError', () => {
  it('maps every domain error to its Google status and HTTP code, keeping the message', () => {
    const cases = [
      [new InvalidArgument('bad'), 400, 'INVALID_ARGUMENT'],
      [new TooLarge('big'), 413, 'INVALID_ARGUMENT'],
      [new NotFound('gone'), 404, 'NOT_FOUND'],
      [new AlreadyExists('twice'), 409, 'ALREADY_EXISTS'],
      [new FailedPrecondition('state'), 400, 'FAILED_PRECONDITION'],
      [new PermissionDenied('no'), 403, 'PERMISSION_DENIED'],
      [new LeaseLost('lease'), 409, 'ABORTED'],
      [new ResourceExhausted('slow down'), 429, 'RESOURCE_EXHAUSTED'],
    ] as const;
    for (const [err, code, status] of cases) {
      expect(fromDomainError(err).toBody()).toEqual({ error: { code, message: err.message, status } });
    }
  });

  it('sends Retry-After for a rate limit that says when', () => {
    expect(fromDomainError(new ResourceExhausted('slow down', 7)).retryAfterSeconds).toBe(7);
    expect(fromDomainError(new ResourceExhausted('slow down')).retryAfterSeconds).toBeUndefined();
  });
});
