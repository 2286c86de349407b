import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import { describeError } from './describe-error.js';
import { parseRetryAfter } from './parse-retry-after.js';
import { readResponseExcerpt } from './response-excerpt.js';
import type { AttemptResult } from '../../model/attempt-result.js';

/** `user-agent` sent with every delivery. */
export const USER_AGENT = 'Herald-Webhooks/0.1';

/** What one HTTP attempt produced. `statusCode`, when present, decides the outcome (`classifyAttempt`). */
export type { AttemptResult } from '../../model/attempt-result.js';

/** One attempt's request. */
export interface SendAttemptRequest {
  url: string;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature`, …; names are case-insensitive and
   * override the defaults (`content-type: application/json`, `user-agent`). */
  headers: Readonly<Record<string, string>>;
  /** The exact signed bytes. */
  body: string | Uint8Array;
  /** Whole-attempt timeout (connect + headers + excerpt). Default 15000. */
  timeoutMs?: number | undefined;
  /** Response excerpt size. Default 4096. */
  excerptBytes?: number | undefined;
  /** Clock for HTTP-date `Retry-After` values. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Sends one webhook POST through the delivery agent and reports what happened. Never throws: every
 * failure (bad URL, SSRF block, refused connection, timeout, reset) comes back as `errorCode` /
 * `errorMessage`. Redirects are not followed. At most `excerptBytes` of the body are kept and the
 * rest is discarded, so large bodies never fail an attempt.
 *
 * @example
 * const result = await sendAttempt(agent, { url, headers: { 'webhook-id': id, … }, body, timeoutMs: 15_000 });
 * classifyAttempt(result); // 'success' | 'gone' | 'throttled' | 'failure'
 */
export async function sendAttempt(agent: Dispatcher, req: SendAttemptRequest): Promise<AttemptResult> {
  const timeoutMs = req.timeoutMs ?? 15_000;
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  // Not AbortSignal.timeout(): its timer outlives the attempt and, firing later, builds a
  // DOMException and dispatches an abort event per delivery (1–2 % of the CPU at full rate).
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`attempt timed out after ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  timer.unref();
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;

    let response: Dispatcher.ResponseData;
    try {
      response = await request(req.url, {
        dispatcher: agent,
        method: 'POST',
        headers,
        body: req.body,
        signal: controller.signal,
      });
    } catch (err) {
      const { code, message } = describeError(err, timeoutMs);
      return { errorCode: code, errorMessage: message, durationMs: elapsed(), responseExcerpt: '' };
    }

    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], (req.now ?? Date.now)());
    const excerpt = await readResponseExcerpt(response.body, req.excerptBytes ?? 4096);
    const result: AttemptResult = {
      statusCode: response.statusCode,
      durationMs: elapsed(),
      responseExcerpt: excerpt.text,
    };
    if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
    if (excerpt.error !== undefined) {
      const { code, message } = describeError(excerpt.error, timeoutMs);
      result.errorCode = code;
      result.errorMessage = message;
    }
    return result;
  } catch (err) {
    // Defensive: nothing above is expected to throw, but an attempt must never crash the engine.
    const { code, message } = describeError(err, timeoutMs);
    return { errorCode: code, errorMessage: message, durationMs: elapsed(), responseExcerpt: '' };
  } finally {
    clearTimeout(timer);
  }
}
