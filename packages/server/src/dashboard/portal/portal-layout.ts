import type { ProjectRecord } from '../../model/records.js';
import { html, raw, type SafeHtml } from '../html.js';
import type { AssetUrls } from '../layout.js';

export type PortalNav = 'endpoints' | 'deliveries';

const ACCENT = /^#[0-9a-f]{6}$/i;

/** The branding a page shows: the project's, or Herald's defaults. */
export interface PortalBrand {
  name: string;
  logoUri: string | undefined;
  accentColor: string | undefined;
}

export function brandOf(project: ProjectRecord): PortalBrand {
  const logo = project.branding?.logoUri;
  const accent = project.branding?.accentColor;
  return {
    name: project.name || project.id,
    logoUri: logo && /^https?:\/\//i.test(logo) ? logo : undefined,
    accentColor: accent && ACCENT.test(accent) ? accent : undefined,
  };
}

/** The `img-src` origin of a logo URL (allowed in the portal's CSP), or undefined. */
export function logoOrigin(logoUri: string | undefined): string | undefined {
  if (!logoUri) return undefined;
  try {
    return new URL(logoUri).origin;
  } catch {
    return undefined;
  }
}

export interface PortalPageInput {
  title: string;
  assets: AssetUrls;
  body: SafeHtml;
  brand?: PortalBrand | undefined;
  /** Present inside a session: the nav (links under `base`) and the active entry. */
  session?: { base: string; active: PortalNav | null } | undefined;
  /** CSP nonce of the one inline `<style>` (the accent colour). */
  nonce: string;
}

/**
 * A portal document: the project's logo and name instead of Herald's, its accent colour as the
 * `--brand` CSS variable (the dashboard stylesheet's accent), and a two-entry nav. No login box,
 * no project switcher: the session is the project.
 */
export function portalPage(input: PortalPageInput): string {
  const b = input.brand;
  const s = input.session;
  const nav = s
    ? html`<nav class="nav" aria-label="Portal">
        ${(
          [
            ['endpoints', `${s.base}/`, 'Endpoints'],
            ['deliveries', `${s.base}/deliveries`, 'Deliveries'],
          ] as const
        ).map(
          ([key, href, label]) =>
            html`<a href="${href}" ${key === s.active ? raw('aria-current="page"') : ''}>${label}</a>`,
        )}
      </nav>`
    : html`<div class="nav"></div>`;
  // The accent is checked to be #rrggbb before it reaches this inline style.
  const accent =
    b?.accentColor && ACCENT.test(b.accentColor)
      ? html`<style nonce="${input.nonce}">
          :root {
            --brand: ${raw(b.accentColor)};
          }
        </style>`
      : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="data:," />
        <title>${input.title}${b ? ` · ${b.name}` : ''}</title>
        <link rel="stylesheet" href="${input.assets.css}" />
        ${accent}
        <script src="${input.assets.js}" defer></script>
      </head>
      <body class="portal">
        <header class="topbar">
          <div class="inner">
            <a class="brand" href="${s ? `${s.base}/` : '#'}" data-portal-brand
              >${
                b?.logoUri
                  ? html`<img src="${b.logoUri}" alt="" height="28" data-portal-logo />`
                  : html`<span class="dot"></span>`
              }${b?.name ?? 'Webhooks'}</a
            >
            ${nav}
          </div>
        </header>
        <main>${input.body}</main>
      </body>
    </html>`.value;
}
