import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { TestHerald } from './test-herald.js';

/**
 * The dashboard's browser tests share this: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), skipped with the reason printed when /usr/bin/chromium is missing
 * (.ci/run installs it). Screenshots go to .ci/artifacts/dashboard/; with
 * HERALD_DOCS_SCREENSHOTS=1 the docs images in docs/img/ are refreshed too.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ROOT = resolve(import.meta.dirname, '../../../..');
export const ARTIFACTS = join(ROOT, '.ci/artifacts/dashboard');
export const DOCS_IMG = join(ROOT, 'docs/img');

export interface BrowserPage {
  page: Page;
  /** Messages of dialogs the page opened (each dismissed). */
  dialogs: string[];
  /** Page errors and console errors. */
  errors: string[];
}

/**
 * Registers the suite's hooks: one Chromium for the file, a fresh context per `newPage()`,
 * closed after each test. Call inside a `describe`.
 */
export function useChromium(): { newPage(): Promise<BrowserPage>; context(): BrowserContext | undefined } {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    async newPage() {
      context = await browser!.newContext({ viewport: { width: 1200, height: 820 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return { page, dialogs, errors };
    },
    context: () => context,
  };
}

/** A full-page screenshot into the CI artifacts. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Logs in through the login form with the test Herald's key. */
export async function login(page: Page, h: TestHerald): Promise<void> {
  await page.goto(`${h.url}/`);
  await expect.poll(() => page.url()).toContain('/dashboard/login');
  await page.fill('input[name="api_key"]', h.apiKey);
  await page.click('button[type="submit"]');
  await page.waitForSelector('h1:has-text("Overview")');
}

/** Waits until the page's live stream is connected, so a change after this is seen. */
export const live = (page: Page) => page.waitForSelector('[data-live-status][data-state="live"]');
