/** What one delivery attempt came to: a status, or an error code; its duration and response excerpt. */
export interface AttemptResult {
  /** HTTP status, when a response arrived (3xx included: redirects are never followed). */
  statusCode?: number;
  /** Why the attempt failed without a status (`ECONNREFUSED`, `ETIMEDOUT`, `ESSRFBLOCKED`, …), or why
   * reading the body failed after the status arrived (the status still counts). */
  errorCode?: string;
  errorMessage?: string;
  /** Wall time from sending to the end of reading the excerpt (`performance.now()`), in ms. */
  durationMs: number;
  /** First bytes of the response body as UTF-8, at most `excerptBytes` bytes; `''` when none. */
  responseExcerpt: string;
  /** Parsed `Retry-After` header, in ms from `now()`. */
  retryAfterMs?: number;
}
