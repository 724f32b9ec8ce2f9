import { API_TITLE } from '#src/openapi.js';
import { artifact, useBrowserRig, watchPage } from '#test/browser/support/browser.js';

const suite = useBrowserRig();

describe('API docs in a browser', () => {
  it('renders Swagger UI with the product title and the health endpoint', async () => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/api/docs`);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor({ timeout: 15_000 });
    expect(await title.innerText()).toContain(API_TITLE);
    await page.locator('.opblock-summary-path', { hasText: '/health' }).first().waitFor();
    await page.screenshot({ path: artifact('api-docs.png'), fullPage: true });
    // Under the site's Content-Security-Policy nothing of Swagger UI may be refused.
    expect(problems.list()).toEqual([]);
    expect(await page.title()).toBe(API_TITLE);
  });
});
