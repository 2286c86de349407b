/**
 * The domain's error catalogue: what went wrong, in the domain's words, with a stable `code` and no
 * transport in sight. The HTTP layer maps each code to a Google-style error body
 * (`http/domain-error-body.ts`); in-process callers (`createHerald`) catch these classes directly.
 * Every message says what to change.
 *
 * | code                  | class                | HTTP (see http/)              |
 * | --------------------- | -------------------- | ----------------------------- |
 * | `invalid_argument`    | InvalidArgument      | 400 INVALID_ARGUMENT          |
 * | `too_large`           | TooLarge             | 413 INVALID_ARGUMENT          |
 * | `not_found`           | NotFound             | 404 NOT_FOUND                 |
 * | `already_exists`      | AlreadyExists        | 409 ALREADY_EXISTS            |
 * | `failed_precondition` | FailedPrecondition   | 400 FAILED_PRECONDITION       |
 * | `permission_denied`   | PermissionDenied     | 403 PERMISSION_DENIED         |
 * | `lease_lost`          | LeaseLost            | 409 ABORTED                   |
 * | `resource_exhausted`  | ResourceExhausted    | 429 RESOURCE_EXHAUSTED        |
 *
 * @example
 * try { await herald.webhooks.get('default', id); }
 * catch (err) { if (err instanceof NotFound) return undefined; throw err; }
 */
export type DomainErrorCode =
  | 'invalid_argument'
  | 'too_large'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'permission_denied'
  | 'lease_lost'
  | 'resource_exhausted';

/** The base of every domain error; `code` is stable across releases. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

/** The input is malformed or out of range; `field`, when known, names the offending field. */
export class InvalidArgument extends DomainError {
  override name = 'InvalidArgument';
  readonly code = 'invalid_argument';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The input is larger than a configured limit. */
export class TooLarge extends DomainError {
  override name = 'TooLarge';
  readonly code = 'too_large';
}

/** The resource does not exist in the caller's project (never says whether it exists elsewhere). */
export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly code = 'not_found';
}

/** A resource with that id already exists. */
export class AlreadyExists extends DomainError {
  override name = 'AlreadyExists';
  readonly code = 'already_exists';
}

/** The resource's state forbids the change (cancel a finished operation, retry a pending delivery). */
export class FailedPrecondition extends DomainError {
  override name = 'FailedPrecondition';
  readonly code = 'failed_precondition';
}

/** The caller may not do this (a project key on an admin action). */
export class PermissionDenied extends DomainError {
  override name = 'PermissionDenied';
  readonly code = 'permission_denied';
}

/** The caller's lease is no longer the current one (it expired, or the work was leased again). */
export class LeaseLost extends DomainError {
  override name = 'LeaseLost';
  readonly code = 'lease_lost';
}

/** A quota or rate limit was reached; `retryAfterSeconds`, when known, says when to try again. */
export class ResourceExhausted extends DomainError {
  override name = 'ResourceExhausted';
  readonly code = 'resource_exhausted';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string, field?: string) => new InvalidArgument(message, field);
export const tooLarge = (message: string) => new TooLarge(message);
export const notFound = (message: string) => new NotFound(message);
export const alreadyExists = (message: string) => new AlreadyExists(message);
export const failedPrecondition = (message: string) => new FailedPrecondition(message);
export const permissionDenied = (message: string) => new PermissionDenied(message);
