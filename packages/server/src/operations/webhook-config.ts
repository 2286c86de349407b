import { invalidArgument } from '../kernel/domain-errors.js';
import type { OperationWebhookConfig } from '../model/operation-records.js';
import { checkUri, type UrlPolicy } from '../delivery/transport/check-destination-uri.js';

export const MAX_WEBHOOK_URIS = 5;
export const MAX_USER_METADATA_BYTES = 16 * 1024;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a per-request `webhook_config` (either spelling: `webhookConfig`, `userMetadata`):
 * `uris` is 1 to 5 destination URLs that pass the SSRF policy, `user_metadata` a JSON object of
 * at most 16 KiB. Returns undefined when there is nothing to configure; throws a 400 saying
 * what to fix otherwise, before anything is written.
 *
 * @example parseWebhookConfig({ uris: ['https://example.com/hook'], userMetadata: { job: 7 } }, policy)
 */
export function parseWebhookConfig(
  raw: unknown,
  policy: UrlPolicy,
  field = 'webhook_config',
): OperationWebhookConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw invalidArgument(`${field} must be an object: {"uris": [...], "user_metadata": {...}}`);
  for (const key of Object.keys(raw)) {
    if (key !== 'uris' && key !== 'user_metadata' && key !== 'userMetadata') {
      const hint = key === 'url' || key === 'uri' ? '; use "uris", an array of URLs' : '';
      throw invalidArgument(`${field} has unknown field "${key.slice(0, 64)}"${hint}; allowed: uris, user_metadata`);
    }
  }
  const config: OperationWebhookConfig = {};
  const uris = raw.uris;
  if (uris !== undefined && uris !== null) {
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string'))
      throw invalidArgument(`${field}.uris must be an array of URL strings`);
    if (uris.length === 0 || uris.length > MAX_WEBHOOK_URIS)
      throw invalidArgument(`${field}.uris must list 1 to ${MAX_WEBHOOK_URIS} URLs, got ${uris.length}`);
    const checked = (uris as string[]).map((u, i) => checkUri(u, policy, `${field}.uris[${i}]`));
    config.uris = [...new Set(checked)];
  }
  const meta = raw.user_metadata ?? raw.userMetadata;
  if (meta !== undefined && meta !== null) {
    if (!isPlainObject(meta)) throw invalidArgument(`${field}.user_metadata must be a JSON object`);
    const size = Buffer.byteLength(JSON.stringify(meta));
    if (size > MAX_USER_METADATA_BYTES)
      throw invalidArgument(`${field}.user_metadata is ${size} bytes; at most ${MAX_USER_METADATA_BYTES} are allowed`);
    config.userMetadata = meta;
  }
  return config.uris === undefined && config.userMetadata === undefined ? undefined : config;
}

/** The wire form (snake_case), as resources echo it. */
export function presentWebhookConfig(c: OperationWebhookConfig): Record<string, unknown> {
  return {
    ...(c.uris ? { uris: c.uris } : {}),
    ...(c.userMetadata !== undefined ? { user_metadata: c.userMetadata } : {}),
  };
}
