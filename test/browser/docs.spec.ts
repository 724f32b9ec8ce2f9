import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { API_TITLE } from '#src/openapi.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

/** Debian's Chromium (`apt-get install chromium`): tests never download a browser of their own. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const ARTIFACTS = join('test-artifacts', 'browser');

let testApp: TestApp;
let baseUrl: string;
let profileDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  testApp = await startTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = await testApp.app.getUrl();
  profileDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  await mkdir(ARTIFACTS, { recursive: true });
  // A persistent context is how Playwright takes a fresh --user-data-dir of our choosing.
  browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

describe('API docs in a browser', () => {
  it('renders Swagger UI with the product title and the health endpoint', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${baseUrl}/api/docs`);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor({ timeout: 15_000 });
    expect(await title.innerText()).toContain(API_TITLE);
    await page.locator('.opblock-summary-path', { hasText: '/health' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'api-docs.png'), fullPage: true });
    expect(failed).toEqual([]);
    expect(await page.title()).toBe(API_TITLE);
  });
});
