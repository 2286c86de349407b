import { describe, expect, it } from 'vitest';
import { badge, duration, liveRegion, page, when, withQuery } from './layout.js';
import { html } from './html.js';

const T0 = 1_800_000_000_000;
const assets = { htmx: '/a/htmx.js', css: '/a/d.css', js: '/a/d.js' };

describe('layout helpers', () => {
  it('formats durations without "60 min" or "24 h" carry errors', () => {
    expect(duration(0.42)).toBe('0.4 ms');
    expect(duration(450)).toBe('450 ms');
    expect(duration(3_200)).toBe('3.2 s');
    expect(duration(45_000)).toBe('45 s');
    expect(duration(5 * 60_000)).toBe('5 min');
    expect(duration(3_599_000)).toBe('1 h');
    expect(duration(2 * 3_600_000 + 10 * 60_000)).toBe('2 h 10 min');
    expect(duration(23 * 3_600_000 + 59 * 60_000 + 50_000)).toBe('1 d');
    expect(duration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });

  it('renders relative times with the exact instant', () => {
    expect(when(T0 - 5 * 60_000, T0).value).toBe(
      '<time datetime="2027-01-15T07:55:00.000Z" title="2027-01-15T07:55:00.000Z">5 min ago</time>',
    );
    expect(when(T0 + 30_000, T0).value).toContain('in 30 s');
    expect(when(T0, T0).value).toContain('just now');
    expect(when(null, T0).value).toContain('—');
  });

  it('builds query strings without empty values', () => {
    expect(withQuery('/x', { a: 'b c', b: undefined, c: '', d: 2 })).toBe('/x?a=b+c&d=2');
    expect(withQuery('/x', {})).toBe('/x');
  });

  it('maps statuses to badge tones and escapes the label', () => {
    expect(badge('succeeded').value).toBe('<span class="badge ok" data-status="succeeded">succeeded</span>');
    expect(badge('disabled_due_to_failed_deliveries').value).toContain('badge bad');
    expect(badge('<x>').value).toContain('&lt;x&gt;');
  });

  it('live regions re-fetch themselves on herald:refresh and select their own id', () => {
    const r = liveRegion('live-x', '/dashboard/x?a=1&b=2', html`<p>hi</p>`).value;
    expect(r).toContain('id="live-x"');
    expect(r).toContain('hx-get="/dashboard/x?a=1&amp;b=2"');
    expect(r).toContain('hx-trigger="herald:refresh from:body"');
    expect(r).toContain('hx-select="#live-x"');
    expect(r).toContain('hx-swap="outerHTML"');
  });

  it('pages carry the CSRF meta tag and nav only when logged in, and no external URL', () => {
    const anon = page({ title: 'Log in', assets, body: html`<p>x</p>` });
    expect(anon).not.toContain('csrf-token');
    expect(anon).not.toContain('Log out');
    const authed = page({
      title: 'A <b>',
      assets,
      body: html``,
      session: { projectId: 'p"1', csrf: 'tok', active: 'events' },
    });
    expect(authed).toContain('<meta name="csrf-token" content="tok" />');
    expect(authed).toContain('<title>A &lt;b&gt; · Herald</title>');
    expect(authed).toContain('<a href="/dashboard/events" aria-current="page">Events</a>');
    expect(authed).toContain('p&quot;1');
    expect(authed).not.toMatch(/(src|href)="https?:/);
  });
});
