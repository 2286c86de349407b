/**
 * `google.rpc` error details, as Google APIs put them in `error.details` (AIP-193): each is an
 * object whose `@type` names its message. Clients match on `reason` (ErrorInfo), read
 * `fieldViolations` (BadRequest) and wait `retryDelay` (RetryInfo).
 */
export type ErrorDetail = { '@type': string } & Record<string, unknown>;

const TYPE = 'type.googleapis.com/google.rpc.';

/** The domain and service Gemini names in its ErrorInfo; kept so clients written for it match. */
export const ERROR_DOMAIN = 'googleapis.com';
export const ERROR_SERVICE = 'generativelanguage.googleapis.com';

/** `ErrorInfo{reason, domain, metadata}`; `metadata.service` is always set, as Gemini does. */
export function errorInfo(reason: string, metadata: Record<string, string> = {}): ErrorDetail {
  return {
    '@type': `${TYPE}ErrorInfo`,
    reason,
    domain: ERROR_DOMAIN,
    metadata: { service: ERROR_SERVICE, ...metadata },
  };
}

/** `LocalizedMessage{locale: "en-US", message}`, which Gemini sends beside ErrorInfo. */
export function localizedMessage(message: string): ErrorDetail {
  return { '@type': `${TYPE}LocalizedMessage`, locale: 'en-US', message };
}

/** One `BadRequest.FieldViolation`: `field` is the request field's path (`batch.input_config`). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** `BadRequest{fieldViolations}`. */
export function badRequest(fieldViolations: readonly FieldViolation[]): ErrorDetail {
  return { '@type': `${TYPE}BadRequest`, fieldViolations: fieldViolations.map((v) => ({ ...v })) };
}

/** `RetryInfo{retryDelay}` with the delay as a protobuf Duration string (`"5s"`). */
export function retryInfo(seconds: number): ErrorDetail {
  return { '@type': `${TYPE}RetryInfo`, retryDelay: `${seconds}s` };
}
