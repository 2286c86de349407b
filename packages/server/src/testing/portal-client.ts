import type { TestHerald } from './test-herald.js';

/** A portal page as fetched: status, headers and HTML. */
export interface PortalResponse {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

/**
 * Drives the consumer portal over plain HTTP for tests: mints a link with the admin key, opens it,
 * and sends forms the way a same-origin browser form would (CSRF token from the page, `Origin`).
 */
export class PortalClient {
  readonly herald: TestHerald;
  /** `/portal/s/<secret>` once entered. */
  base = '';

  constructor(herald: TestHerald) {
    this.herald = herald;
  }

  /** A fresh one-time link into `projectId` (`ttl` like "600s"). */
  async link(projectId: string, ttl?: string): Promise<string> {
    const res = await this.herald.api<{ url: string }>(
      'POST',
      `/v1beta/projects/${projectId}:createPortalSession`,
      ttl ? { ttl } : {},
      { 'x-goog-api-key': this.herald.adminKey },
    );
    if (res.status !== 200) throw new Error(`createPortalSession: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.url;
  }

  /** Opens a new link into `projectId` and keeps the session base. */
  async enter(projectId: string): Promise<this> {
    const res = await this.get(await this.link(projectId));
    if (res.status !== 303 || !res.location) throw new Error(`portal entry answered ${res.status}`);
    this.base = res.location.replace(/\/$/, '');
    return this;
  }

  async get(path: string): Promise<PortalResponse> {
    return this.#send(path, { method: 'GET' });
  }

  /** POSTs a form with the CSRF token of `pagePath` (the base's home when omitted). */
  async post(
    path: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<PortalResponse> {
    const csrf = opts.csrf === undefined ? await this.csrf() : opts.csrf;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    if (csrf !== null) body.set('_csrf', csrf);
    return this.#send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.herald.url, ...opts.headers },
      body: body.toString(),
    });
  }

  /** The session's CSRF token, read from its home page. */
  async csrf(): Promise<string> {
    const { html } = await this.get(`${this.base}/`);
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF field on the portal home');
    return m[1]!;
  }

  async #send(path: string, init: RequestInit): Promise<PortalResponse> {
    const res = await fetch(path.startsWith('http') ? path : this.herald.url + path, { ...init, redirect: 'manual' });
    return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get('location') };
  }
}
