/**
 * What every browser test shares: Debian's Chromium with the flags DESIGN.md prescribes and a fresh
 * profile, the app listening on a free port, screenshots kept under test-artifacts/browser, and a
 * watch on each page for console errors, failed requests and CSP violations.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Clock } from '#src/clock/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { startTestApp, type TestApp, type TestAppHandle } from '#test/support/test-app.js';

/** Debian's Chromium (`apt-get install chromium`): tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const ARTIFACTS = join('test-artifacts', 'browser');

export interface BrowserRig {
  testApp: TestApp;
  baseUrl: string;
  browser: BrowserContext;
  close(): Promise<void>;
}

/** One app and one browser per test file (beforeAll / afterAll). */
export async function startBrowserRig(overrides: Partial<AppConfig> = {}, options: { locale?: string; clock?: Clock } = {}): Promise<BrowserRig> {
  const testApp = await startTestApp(overrides, options.clock ? { clock: options.clock } : {});
  const profileDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  try {
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = await testApp.app.getUrl();
    await mkdir(ARTIFACTS, { recursive: true });
    const locale = options.locale;
    // A persistent context is how Playwright takes a fresh --user-data-dir of our choosing.
    const browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: locale ? [...CHROMIUM_FLAGS, `--lang=${locale}`] : CHROMIUM_FLAGS,
      ...(locale ? { locale } : {}),
      viewport: { width: 1280, height: 900 },
    });
    return {
      testApp,
      baseUrl,
      browser,
      async close() {
        await browser.close();
        await testApp.close();
        await rm(profileDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await testApp.close();
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
}

export interface BrowserSuite {
  /** The running rig; only there inside tests (after beforeAll). */
  readonly rig: BrowserRig;
  /** Its app, as the e2e helpers (test/support) take it. */
  readonly app: TestAppHandle;
}

/** The usual shape of a browser spec: one rig, started in beforeAll and closed in afterAll. */
export function useBrowserRig(overrides: Partial<AppConfig> = {}, options: { locale?: string; clock?: Clock } = {}): BrowserSuite {
  let started: BrowserRig | undefined;
  beforeAll(async () => {
    started = await startBrowserRig(overrides, options);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  const current = (): BrowserRig => {
    if (!started) throw new Error('useBrowserRig: the rig exists only inside tests, after beforeAll');
    return started;
  };
  return {
    get rig() {
      return current();
    },
    app: {
      get testApp() {
        return current().testApp;
      },
      get http() {
        return current().testApp.app.getHttpAdapter().getInstance().server;
      },
    },
  };
}

export interface PageProblems {
  /** Console errors (CSP violations land here), failed requests, and responses ≥ 400 for subresources. */
  list(): string[];
}

export function watchPage(page: Page): PageProblems {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') problems.push(`${response.status()}: ${response.url()}`);
  });
  return { list: () => [...problems] };
}

export function artifact(name: string): string {
  return join(ARTIFACTS, name);
}
