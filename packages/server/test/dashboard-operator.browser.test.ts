import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCS_IMG, hasChromium, login, shot, useChromium } from '../src/testing/dashboard-browser.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The operator view in a real browser: the admin key's session opens the projects page (every
 * project with its numbers, charts) and switches between projects; a project key's session has
 * no projects page. Skipped, with the reason printed, when /usr/bin/chromium is missing.
 */
if (!hasChromium) console.log('dashboard-operator.browser.test.ts skipped: /usr/bin/chromium not found');

let herald: TestHerald | undefined;
let rx: Receiver | undefined;

describe.skipIf(!hasChromium)('the operator dashboard in Chromium', () => {
  const chromium = useChromium();
  afterEach(async () => {
    await herald?.close();
    await rx?.close();
    herald = undefined;
  });

  it('admin logs in, sees every project with its numbers and charts, switches to one and sees only its webhooks', async () => {
    rx = await startReceiver();
    herald = await startTestHerald();
    const h = herald;
    const admin = { 'x-goog-api-key': h.adminKey };
    for (const [id, name] of [
      ['alpha-co', 'Alpha Corp'],
      ['bravo-co', 'Bravo Corp'],
    ]) {
      expect((await h.api('POST', '/v1beta/projects', { id, name }, admin)).status).toBe(200);
      await h.api(
        'POST',
        `/v1beta/projects/${id}/webhooks`,
        { name: `${id}-hook`, uri: rx.url, subscribed_events: ['job.done'] },
        admin,
      );
    }
    const second = await h.api(
      'POST',
      '/v1beta/projects/alpha-co/webhooks',
      { name: 'alpha-co-second', uri: rx.url, subscribed_events: ['report.ready'] },
      admin,
    );
    expect(second.status).toBe(200);
    await h.api('POST', '/v1beta/projects/alpha-co/events', { type: 'job.done', data: {} }, admin);
    await h.waitForAttempts(1);

    const { page, errors } = await chromium.newPage();
    await page.goto(`${h.url}/`);
    await page.fill('input[name="api_key"]', h.adminKey);
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:has-text("Projects")');
    expect(page.url()).toBe(`${h.url}/dashboard/projects`);

    const rows = page.locator('#projects-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-project-id')))).toEqual([
      'default',
      'alpha-co',
      'bravo-co',
    ]);
    const alpha = page.locator('tr[data-project-id="alpha-co"] td');
    expect(await alpha.allInnerTexts()).toEqual(['Alpha Corp', 'alpha-co', '2', '0', '100%', 'Open']);
    // The charts are inline SVG images with accessible names.
    for (const name of [
      'Delivery attempts per minute, last 24 h',
      'Success rate per hour, last 24 h',
      'Attempt latency per hour (p50, p95, p99), last 24 h',
    ]) {
      await expect.poll(() => page.getByRole('img', { name }).count()).toBe(1);
    }
    await shot(page, 'operator-projects');
    // HERALD_DOCS_SCREENSHOTS=1 refreshes the image in docs/dashboard.md.
    if (process.env.HERALD_DOCS_SCREENSHOTS === '1')
      await page.screenshot({ path: join(DOCS_IMG, 'dashboard-operator.png'), fullPage: true });
    await page.fill('input[name="q"]', 'bravo');
    await page.click('button:has-text("Filter")');
    await page.waitForURL(/q=bravo/);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-project-id')))).toEqual(['bravo-co']);
    await shot(page, 'operator-projects');

    await page.click('button[aria-label="Open Bravo Corp"]');
    await page.waitForSelector('h1:has-text("Overview")');
    expect(await page.locator('[data-project]').innerText()).toBe('bravo-co');
    await page.click('nav.nav a:has-text("Webhooks")');
    await page.waitForSelector('h1:has-text("Webhooks")');
    const body = await page.locator('main').innerText();
    expect(body).toContain('bravo-co-hook');
    expect(body).not.toContain('alpha-co-hook');
    expect(body).not.toContain('alpha-co-second');

    await page.click('[data-switch-project]');
    await page.waitForSelector('h1:has-text("Projects")');
    await page.click('button[aria-label="Open Alpha Corp"]');
    await page.waitForSelector('h1:has-text("Overview")');
    await page.goto(`${h.url}/dashboard/webhooks`);
    const alphaBody = await page.locator('main').innerText();
    expect(alphaBody).toContain('alpha-co-hook');
    expect(alphaBody).toContain('alpha-co-second');
    expect(alphaBody).not.toContain('bravo-co-hook');
    expect(errors).toEqual([]);
  });

  it('a project key sees no projects page and no switcher', async () => {
    herald = await startTestHerald();
    const h = herald;
    const { page } = await chromium.newPage();
    await login(page, h);
    expect(await page.locator('nav.nav a:has-text("Projects")').count()).toBe(0);
    expect(await page.locator('[data-switch-project]').count()).toBe(0);
    // Nor can it switch projects, even with its own valid CSRF token.
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const open = await page.request.post(`${h.url}/dashboard/projects/open`, {
      form: { _csrf: csrf ?? '', project: 'default' },
      headers: { origin: new URL(h.url).origin },
    });
    expect(open.status()).toBe(404);
    const res = await page.goto(`${h.url}/dashboard/projects`);
    expect(res?.status()).toBe(404);
  });
});
