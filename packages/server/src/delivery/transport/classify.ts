/**
 * What an attempt's result means for the delivery (Standard Webhooks §"Operational considerations"):
 * - `success`: any 2xx;
 * - `gone`: 410, the receiver asks us to stop (a static webhook gets disabled);
 * - `throttled`: 429 and 503 (which may carry `Retry-After`), and 502/504 (overload);
 * - `failure`: everything else, including 3xx (redirects are never followed), other 4xx/5xx,
 *   timeouts, connection errors and SSRF blocks.
 */
export type AttemptClass = 'success' | 'gone' | 'throttled' | 'failure';

const THROTTLED = new Set([429, 502, 503, 504]);

/**
 * Classifies one attempt. The HTTP status decides when there is one (an error while reading the
 * response body after a 2xx still counts as delivered); without a status the attempt failed.
 *
 * @example classifyAttempt({ statusCode: 204 }) // 'success'
 */
export function classifyAttempt(result: { statusCode?: number | undefined }): AttemptClass {
  const status = result.statusCode;
  if (status === undefined) return 'failure';
  if (status >= 200 && status <= 299) return 'success';
  if (status === 410) return 'gone';
  if (THROTTLED.has(status)) return 'throttled';
  return 'failure';
}
