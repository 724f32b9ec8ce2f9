/**
 * The portal in Chromium, as a person uses it: each province's hall, the support pages, the
 * comparison page's toggle, and sending feedback with a screenshot. Screenshots are kept in
 * test-artifacts/browser/portal-*.png.
 */
import { artifact, useBrowserRig, watchPage } from '#test/browser/support/browser.js';

const suite = useBrowserRig({}, { locale: 'zh-CN' });

const HALLS = {
  xizang: { title: '西藏自治区医疗保障局网上服务大厅', entries: ['单位登录', '立即注册'] },
  neimenggu: { title: '内蒙古医保公共服务网上服务大厅', entries: ['单位登录', '立即注册'] },
  jilin: { title: '吉林省医疗保障局网上服务大厅', entries: ['单位登录', '立即注册'] },
  hunan: { title: '湖南省医疗保障局网上服务大厅', entries: ['机构登录', '没有账号？立即注册', '配送(经营)企业注册（招采子系统）'] },
  anhui: { title: '安徽医保公共服务平台网上服务大厅', entries: ['单位登录', '立即注册', '招采子系统登录'] },
} as const;

describe('province halls', () => {
  it.each(Object.entries(HALLS))('%s: the home page shows its own title and entries, reached from the chooser', async (id, hall) => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/`);
    await page.locator(`li[data-province="${id}"] > a`).click();
    await page.waitForURL(`**/${id}/`);
    expect(await page.locator('.portal-title').innerText()).toBe(hall.title);
    expect(await page.title()).toBe(`首页 - ${hall.title}`);
    expect(await page.locator('article.entry h3').allInnerTexts()).toEqual(hall.entries);
    // The province's colour reached the header through /brands.css (no inline styles allowed).
    // tsconfig has no DOM lib: the browser's getComputedStyle, typed by hand.
    const headerColour = await page.locator('.site-header').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(headerColour).not.toBe('rgb(31, 95, 168)');
    await page.screenshot({ path: artifact(`portal-home-${id}.png`), fullPage: true });
    expect(problems.list()).toEqual([]);
    await page.close();
  });
});

describe('support pages', () => {
  it('AH-9: Anhui’s support page shows its nine QQ groups under the right headings', async () => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/anhui/`);
    await page.getByRole('link', { name: '咨询与支持' }).first().click();
    await page.waitForURL('**/anhui/support');
    const groups = page.locator('section[data-section="qq"] tr[data-qq]');
    expect(await groups.count()).toBe(9);
    const byHeading: Record<string, string[]> = {};
    for (const section of await page.locator('section.qq-category').all()) {
      const heading = await section.locator('h3').innerText();
      byHeading[heading] = (await section.locator('tbody tr').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
    }
    expect(byHeading).toEqual({
      药品: ['生产(代理)企业 药品生产企业群 852121671', '配送(经营)企业 药品配送企业群 678317412', '医疗机构 药品医疗机构群 236085530'],
      医用耗材: ['生产(代理)企业 耗材生产企业群 679328864', '配送(经营)企业 耗材配送企业群 701271562', '医疗机构 耗材医疗机构群 554390627'],
      检验试剂: ['生产(代理)企业 检验试剂生产企业群 454208819', '配送(经营)企业 检验试剂配送企业群 493129937', '医疗机构 检验试剂医疗机构群 103275869'],
    });
    await page.screenshot({ path: artifact('portal-support-anhui.png'), fullPage: true });
    expect(problems.list()).toEqual([]);
    await page.close();
  });

  it('HN-13/HN-14: Hunan’s support page shows the CA hotline and the driver download link', async () => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/hunan/support`);
    const ca = page.locator('section.ca-vendor');
    await expect(ca.locator('h2').innerText()).resolves.toBe('湖南CA 数字证书服务');
    await expect(ca.locator('li', { hasText: '客服热线' }).innerText()).resolves.toContain('4006682666');
    const driver = ca.locator('a[data-link="ca-driver"]');
    expect(await driver.getAttribute('href')).toBe('http://www.hunca.com.cn/findByArticleType.html?articleType=11');
    expect(await driver.isVisible()).toBe(true);
    await expect(page.locator('section[data-section="phones"]').innerText()).resolves.toMatch(/单位网厅登录、注册\s+18874734553\s+向老师/);
    await page.screenshot({ path: artifact('portal-support-hunan.png'), fullPage: true });
    expect(problems.list()).toEqual([]);
    await page.close();
  });
});

describe('the comparison page', () => {
  it('its “only differences” toggle hides the rows that are equal across provinces', async () => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/compare?provinces=hunan&provinces=anhui`);
    const sameRows = page.locator('table.compare tr.same');
    const differingRows = page.locator('table.compare tr.differs');
    const sameBefore = await sameRows.count();
    const differingBefore = await differingRows.count();
    expect(sameBefore).toBeGreaterThan(0);
    expect(await sameRows.first().isVisible()).toBe(true);
    await page.screenshot({ path: artifact('portal-compare-all.png') });

    await Promise.all([page.waitForURL(/only=diff/), page.locator('#only-diff').check()]);
    expect(await sameRows.count()).toBe(0);
    expect(await differingRows.count()).toBe(differingBefore);
    expect(await page.locator('#only-diff').isChecked()).toBe(true);
    // The CSV link follows the toggle.
    expect(await page.locator('a[data-link="csv"]').getAttribute('href')).toBe('/compare.csv?provinces=anhui%2Chunan&only=diff');
    await page.screenshot({ path: artifact('portal-compare-diff.png') });
    expect(problems.list()).toEqual([]);
    await page.close();
  });
});

describe('feedback', () => {
  it('AH-8: a submission with a screenshot comes back with a reference number', async () => {
    const page = await suite.rig.browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${suite.rig.baseUrl}/anhui/feedback`);
    // A real screenshot of the page the sender is on, as a sender would attach one.
    const screenshot = await page.screenshot();
    await page.getByLabel('机构名称').fill('合肥市第一人民医院');
    await page.getByRole('textbox', { name: '原招采平台账号', exact: true }).fill('hf-yy-001');
    await page.getByLabel('原招采平台账号截图（含网址）').setInputFiles({ name: '原平台账号.png', mimeType: 'image/png', buffer: screenshot });
    await page.getByLabel('问题描述').fill('登录原招采平台后提示“账号不存在”。');
    await page.getByLabel('问题截图').setInputFiles({ name: '问题.png', mimeType: 'image/png', buffer: screenshot });
    await page.getByLabel('反馈人姓名').fill('张三');
    await page.getByLabel('反馈人联系方式').fill('13800138000');
    await page.screenshot({ path: artifact('portal-feedback-form.png'), fullPage: true });
    await page.getByRole('button', { name: '提交反馈' }).click();
    const reference = page.locator('[data-reference]');
    await reference.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: artifact('portal-feedback-failed.png'), fullPage: true });
      throw error;
    });
    expect(await reference.innerText()).toMatch(/^FK\d{8}-[2-9A-HJKMNP-Z]{6}$/);
    expect(await page.locator('h1').innerText()).toBe('反馈已提交');
    await page.screenshot({ path: artifact('portal-feedback-received.png'), fullPage: true });
    expect(problems.list()).toEqual([]);
    await page.close();
  });
});
