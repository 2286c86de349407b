import { pino, type Logger } from 'pino';

/** Paths scrubbed from every log line: keys, secrets and signatures never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-goog-api-key"]',
  'req.query.key',
  'headers["webhook-signature"]',
  'secret',
  'apiKey',
  '*.secret',
  '*.new_signing_secret',
  '*.apiKey',
];

/** The one root logger, shared by the HTTP server and the engine (JSON lines on stdout). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { service: 'herald' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
