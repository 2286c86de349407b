/**
 * A delivery attempt cannot be signed (no active key, a key that cannot be opened). The engine
 * records it like a transport error with code `ESIGN` and retries on the normal schedule.
 */
export class SigningError extends Error {
  override name = 'SigningError';
  readonly code = 'ESIGN';
}
