import { html, raw, type SafeHtml } from './html.js';

export type NavKey = 'projects' | 'overview' | 'webhooks' | 'events' | 'deliveries' | 'replay' | 'operations';

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'overview', href: '/', label: 'Overview' },
  { key: 'webhooks', href: '/dashboard/webhooks', label: 'Webhooks' },
  { key: 'events', href: '/dashboard/events', label: 'Events' },
  { key: 'deliveries', href: '/dashboard/deliveries', label: 'Deliveries' },
  { key: 'replay', href: '/dashboard/replay', label: 'Replay' },
  { key: 'operations', href: '/dashboard/operations', label: 'Operations' },
];

/** Asset URLs carry a content hash, so they can be cached forever. */
export interface AssetUrls {
  htmx: string;
  css: string;
  js: string;
}

export interface PageInput {
  title: string;
  assets: AssetUrls;
  body: SafeHtml;
  /** Present when logged in: renders the nav, the session box and the CSRF meta tag. */
  session?: { projectId: string; csrf: string; active: NavKey | null; admin?: boolean };
}

/** The whole document: head, top bar with the nav, and `main`. */
export function page(input: PageInput): string {
  const s = input.session;
  const nav = s
    ? html`<nav class="nav" aria-label="Main">
          ${
            s.admin
              ? html`<a href="/dashboard/projects" ${s.active === 'projects' ? raw('aria-current="page"') : ''}
                  >Projects</a
                >`
              : ''
          }
          ${NAV.map(
            (n) => html`<a href="${n.href}" ${n.key === s.active ? raw('aria-current="page"') : ''}>${n.label}</a>`,
          )}
        </nav>
        <div class="session">
          <span class="live" data-live-status data-state="connecting" title="Live updates">Connecting</span>
          <span class="who"
            >${s.admin ? html`<span class="badge info">operator</span> ` : ''}project
            <code data-project>${s.projectId}</code>${
              s.admin ? html` · <a href="/dashboard/projects" data-switch-project>switch</a>` : ''
            }</span
          >
          <form method="post" action="/dashboard/logout">
            <input type="hidden" name="_csrf" value="${s.csrf}" />
            <button type="submit">Log out</button>
          </form>
        </div>`
    : html`<div class="nav"></div>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        ${s ? html`<meta name="csrf-token" content="${s.csrf}" />` : ''}
        <link rel="icon" href="data:," />
        <title>${input.title} · Herald</title>
        <link rel="stylesheet" href="${input.assets.css}" />
        <script src="${input.assets.htmx}" defer></script>
        <script src="${input.assets.js}" defer></script>
      </head>
      <body>
        <header class="topbar">
          <div class="inner">
            <a class="brand" href="/"><span class="dot"></span>Herald</a>
            ${nav}
          </div>
        </header>
        <main>
          <div id="flash-slot" aria-live="polite"></div>
          ${input.body}
        </main>
      </body>
    </html>`.value;
}

export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'off';

const TONES: Record<string, Tone> = {
  succeeded: 'ok',
  enabled: 'ok',
  failed: 'bad',
  disabled_due_to_failed_deliveries: 'bad',
  pending: 'warn',
  in_flight: 'info',
  running: 'info',
  cancelled: 'off',
  disabled: 'off',
};

/** A status badge; the tone comes from the status name. */
export function badge(status: string, tone: Tone = TONES[status] ?? 'off'): SafeHtml {
  const label = status === 'disabled_due_to_failed_deliveries' ? 'disabled (failures)' : status.replaceAll('_', ' ');
  return html`<span class="badge ${tone}" data-status="${status}">${label}</span>`;
}

export function flash(tone: 'ok' | 'bad' | 'info', message: unknown): SafeHtml {
  return html`<div class="flash ${tone}" role="${tone === 'bad' ? 'alert' : 'status'}">${message}</div>`;
}

export function empty(title: string, body: unknown): SafeHtml {
  return html`<div class="empty"><strong>${title}</strong>${body}</div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** "3.2 s", "450 ms", "5 min", "2 h 10 min", "3 d 4 h". */
export function duration(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${a < 10 ? a.toFixed(1) : Math.round(a)} ms`;
  if (a < 60_000) return `${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  if (a < 3_600_000 - 30_000) return `${Math.round(a / 60_000)} min`;
  if (a < 86_400_000 - 30_000) {
    const total = Math.round(a / 60_000);
    const h = Math.floor(total / 60);
    const m = total % 60;
    return m > 0 ? `${h} h ${m} min` : `${h} h`;
  }
  const total = Math.round(a / 3_600_000);
  const d = Math.floor(total / 24);
  const h = total % 24;
  return h > 0 ? `${d} d ${h} h` : `${d} d`;
}

/** A `<time>` with the exact UTC instant as tooltip and a relative label ("5 min ago"). */
export function when(ms: number | null | undefined, now: number): SafeHtml {
  if (ms === null || ms === undefined) return html`<span class="muted">—</span>`;
  const d = now - ms;
  const label = Math.abs(d) < 1500 ? 'just now' : d > 0 ? `${duration(d)} ago` : `in ${duration(d)}`;
  return html`<time datetime="${iso(ms)}" title="${iso(ms)}">${label}</time>`;
}

/** A path with a query string; empty values are left out. */
export function withQuery(path: string, q: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * A region that re-renders itself when something changes: on `herald:refresh` (fired by the live
 * stream) it GETs `url` and swaps in the element with the same id from the response.
 */
export function liveRegion(id: string, url: string, content: unknown): SafeHtml {
  return html`<div
    id="${id}"
    data-live
    hx-get="${url}"
    hx-trigger="herald:refresh from:body"
    hx-select="#${id}"
    hx-swap="outerHTML"
  >
    ${content}
  </div>`;
}
