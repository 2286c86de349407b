/** A stable code and a short message for an attempt that produced no usable response. */
export interface ErrorDescription {
  /** `err.code` when it is a string (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `ESSRFBLOCKED`, …),
   * `ETIMEDOUT` for the whole-attempt timeout, otherwise the error's name. */
  code: string;
  message: string;
}

const MAX_MESSAGE = 500;

/**
 * Maps anything thrown while sending into an {@link ErrorDescription}. Codes are matched as strings,
 * never with `instanceof` (undici's advice: errors may come from another copy of the library).
 * `AbortSignal.timeout()` rejections (a `DOMException` named `TimeoutError`, whose numeric `code`
 * is ignored) become `ETIMEDOUT`. A code on `err.cause` is used when the error itself has none.
 */
export function describeError(err: unknown, timeoutMs?: number): ErrorDescription {
  if (typeof err !== 'object' || err === null) return { code: 'UNKNOWN', message: clip(String(err)) };
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : name;

  if (name === 'TimeoutError') {
    const after = timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`;
    return { code: 'ETIMEDOUT', message: `attempt timed out${after}` };
  }
  if (typeof e.code === 'string' && e.code !== '') return { code: e.code, message: clip(message) };
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string' && cause.code !== '') {
    const detail = typeof cause.message === 'string' ? `: ${cause.message}` : '';
    return { code: cause.code, message: clip(message + detail) };
  }
  return { code: name, message: clip(message) };
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
