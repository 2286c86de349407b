import { invalidArgument } from '../kernel/domain-errors.js';
import type { ProjectPatch } from '../model/project-records.js';

/** Project ids: a customer id the API builder chooses, safe in URLs, logs and metric labels. */
export const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{2,62}$/;
const ACCENT = /^#[0-9a-fA-F]{6}$/;
const MAX_NAME = 200;
const MAX_URI = 2048;
/** Upper bounds that keep a typo from disabling a limit. */
export const MAX_EVENTS_PER_SECOND = 1_000_000;
export const MAX_WEBHOOKS_CAP = 100_000;

/**
 * Checks a project change field by field (the messages name the field and what to send) and
 * returns it trimmed. `null` clears an optional field; a name cannot be cleared.
 */
export function checkProjectPatch(patch: ProjectPatch): ProjectPatch {
  const out: ProjectPatch = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (name === '' || name.length > MAX_NAME)
      throw invalidArgument(`name must be 1 to ${MAX_NAME} characters (it has ${name.length})`, 'name');
    out.name = name;
  }
  if (patch.branding) {
    const { logoUri, accentColor } = patch.branding;
    out.branding = {};
    if (logoUri !== undefined) out.branding.logoUri = logoUri === null || logoUri === '' ? null : checkLogo(logoUri);
    if (accentColor !== undefined) {
      if (accentColor !== null && accentColor !== '' && !ACCENT.test(accentColor))
        throw invalidArgument(
          `branding.accent_color "${accentColor.slice(0, 40)}" is not a colour: use #rrggbb, e.g. "#4f46e5"`,
          'branding.accent_color',
        );
      out.branding.accentColor = accentColor === '' || accentColor === null ? null : accentColor.toLowerCase();
    }
  }
  if (patch.limits) {
    const { eventsPerSecond, maxWebhooks } = patch.limits;
    out.limits = {};
    if (eventsPerSecond !== undefined)
      out.limits.eventsPerSecond = checkWhole(eventsPerSecond, 'limits.events_per_second', MAX_EVENTS_PER_SECOND);
    if (maxWebhooks !== undefined)
      out.limits.maxWebhooks = checkWhole(maxWebhooks, 'limits.max_webhooks', MAX_WEBHOOKS_CAP);
  }
  return out;
}

function checkLogo(uri: string): string {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || uri.length > MAX_URI)
    throw invalidArgument(
      `branding.logo_uri must be an absolute http(s) URL of at most ${MAX_URI} characters`,
      'branding.logo_uri',
    );
  return url.href;
}

function checkWhole(v: number | null, field: string, max: number): number | null {
  if (v === null) return null;
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw invalidArgument(`${field} must be a whole number from 1 to ${max} (or null for the default)`, field);
  return v;
}
