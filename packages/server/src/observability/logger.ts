import { pino, type Logger } from 'pino';
import { humanLogStream } from './log-format.js';

/** Paths scrubbed from every log line: keys, secrets and signatures never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-goog-api-key"]',
  'req.query.key',
  'req.query.token',
  'headers["webhook-signature"]',
  'secret',
  'apiKey',
  '*.secret',
  '*.new_signing_secret',
  '*.apiKey',
];

const CENSOR = '[redacted]';

/**
 * `?key=hk_…` (the Gemini way of passing an API key) with its value censored, also when the name
 * is percent-encoded (`?%6Bey=`), which the query parser decodes and authenticates just the same;
 * likewise a portal link's `?token=hp_…` and a portal session's secret (`/portal/s/<secret>/…`).
 */
export function redactUrl(url: string): string {
  return redactQuery(url)
    .replace(/^\/portal\/s\/[^/?#]+/i, `/portal/s/${CENSOR}`)
    .replace(/ps_[A-Za-z0-9_-]{43}/g, CENSOR);
}

/** Query values of `key` (an API key) and `token` (a portal link), censored. */
function redactQuery(url: string): string {
  return url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (all, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // not valid percent-encoding: the parser does not decode it either
    }
    const lower = decoded.toLowerCase();
    return lower === 'key' || lower === 'token' ? `${sep}${name}=${CENSOR}` : all;
  });
}

interface LoggedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * Fastify's own request serializer (it gives way to the logger's), except that the URL loses its
 * `key` query parameter: the API key would otherwise be printed on every debug request line.
 */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The one root logger, shared by the HTTP server and the engine: JSON lines on stdout, or
 * human-readable lines (log-format.ts) when `format` is `human`: the default when writing to
 * stdout and stdout is a terminal.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: 'json' | 'human' = destination === undefined && process.stdout.isTTY ? 'human' : 'json',
): Logger {
  const options = {
    level,
    base: { service: 'herald' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { req: serializeRequest },
  };
  if (format === 'human') return pino(options, humanLogStream(destination ?? process.stdout));
  return destination ? pino(options, destination) : pino(options);
}
