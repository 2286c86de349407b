/** Errors of the CLI's API client, and helpers to read base URLs and error causes. */
import type { ErrorBody } from '@herald/contracts';
import { CliError } from './errors.js';

/** The server answered with a non-2xx status. */
export class ApiError extends CliError {
  /** HTTP status code. */
  readonly httpStatus: number;
  /** Canonical status name from the error body (`NOT_FOUND`…), or `UNKNOWN`. */
  readonly status: string;
  /** The server's own message. */
  readonly serverMessage: string;
  /** One more line of advice, if any. */
  readonly hint: string | undefined;

  constructor(httpStatus: number, status: string, serverMessage: string, hint?: string) {
    super(`${serverMessage} (HTTP ${httpStatus} ${status})`);
    this.name = 'ApiError';
    this.httpStatus = httpStatus;
    this.status = status;
    this.serverMessage = serverMessage;
    this.hint = hint;
  }
}

/** No usable answer: connection refused, DNS failure, timeout, or something that is not Herald. */
export class ConnectionError extends CliError {
  readonly url: string;

  constructor(message: string, url: string, cause?: unknown) {
    super(message, 1, { cause });
    this.name = 'ConnectionError';
    this.url = url;
  }
}

/** Parses `--url`: an http(s) URL; a trailing `/`, `/v1beta` or `/v1` is dropped. Returns `undefined` if invalid. */
export function normalizeBaseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.search || url.hash) return undefined;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
  return `${url.origin}${path}`;
}

/** The first `code` along an error's cause chain (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, …). */
export function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const e = (value as { error?: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { message?: unknown }).message === 'string' &&
    typeof (e as { status?: unknown }).status === 'string'
  );
}

/** What a failed `fetch` becomes: the caller's own abort as is, else a ConnectionError that says what to check. */
export function connectionError(
  err: unknown,
  baseUrl: string,
  timeoutMs: number,
  userSignal: AbortSignal | undefined,
): Error {
  if (userSignal?.aborted) return err instanceof Error ? err : new Error(String(err));
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return new ConnectionError(
      `Herald at ${baseUrl} did not answer within ${Math.round(timeoutMs / 1000)} s: is it overloaded, or is --url wrong?`,
      baseUrl,
      err,
    );
  }
  const code = causeCode(err);
  const detail = code ? ` (${code})` : '';
  return new ConnectionError(
    `cannot reach Herald at ${baseUrl}${detail}: is \`herald serve\` running? set --url or HERALD_URL`,
    baseUrl,
    err,
  );
}

/** A non-2xx answer as an ApiError: the server's error body, or a note that this is not Herald. */
export async function apiErrorOf(
  res: Response,
  baseUrl: string,
  authHint: string | undefined,
  permissionHint: string | undefined = authHint,
): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // the status alone will do
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  // A wrong key is 400 with ErrorInfo reason API_KEY_INVALID (as Gemini answers), no key is 403.
  const keyInvalid = isErrorBody(parsed) && JSON.stringify(parsed.error.details ?? []).includes('"API_KEY_INVALID"');
  const denied = res.status === 403 && isErrorBody(parsed) && parsed.error.status === 'PERMISSION_DENIED';
  const hint = denied ? permissionHint : res.status === 401 || res.status === 403 || keyInvalid ? authHint : undefined;
  if (isErrorBody(parsed)) return new ApiError(res.status, parsed.error.status, parsed.error.message, hint);
  const type = res.headers.get('content-type')?.split(';')[0] ?? 'no content type';
  return new ApiError(
    res.status,
    'UNKNOWN',
    `${baseUrl} answered without a Herald error body (${type}): is --url pointing at Herald?`,
    hint,
  );
}
