/**
 * A unit's journey through the branded identity pages in Chromium, scripts on: the registration
 * wizard one step at a time (SMS code sent by identity.js, captcha refreshed after it), log in,
 * choose the unit, the hall, log out — in Anhui (AH-3: the unit is chosen after every login) and
 * Jilin (JL-2's captcha on registration; an operator of two units chooses, NM-4-style). Captcha
 * answers and SMS codes are read from the dev tools on the Node side. Screenshots are kept in
 * test-artifacts/browser/identity-*.png.
 */
import { DataSource } from 'typeorm';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { useBrowserRig, watchPage } from '#test/browser/support/browser.js';
import { journeySteps } from '#test/browser/support/journey-steps.js';
import { register, registrationDraft, seedRegistryUnit } from '#test/support/hall-journey.js';

const suite = useBrowserRig({}, { locale: 'zh-CN' });
const handle = suite.app;

const { byLabel, openPage, shot, waitOrShoot, registerThroughWizard, logIn } = journeySteps(() => suite.rig, 'identity');

describe('the identity journey', () => {
  it('AH-3: Anhui — register in the wizard, log in (a wrong password first), choose the unit, the hall, log out', async () => {
    const page = await openPage();
    const problems = watchPage(page);
    const entry = await seedRegistryUnit(handle, 'anhui');
    const draft = registrationDraft(entry.uscc);
    await registerThroughWizard(page, 'anhui', draft, true);
    expect(await page.locator('tr[data-account="单位账号"] td').innerText()).toBe(draft.unit.unitAccount);
    expect(await page.locator('tr[data-account="经办人账号"] td').innerText()).toBe(draft.operator.mobile);

    await page.getByRole('link', { name: '立即登录' }).click();
    await page.waitForURL('**/anhui/login');
    expect(await page.locator('h1').innerText()).toBe('单位登录');
    await logIn(page, draft.operator.mobile ?? '', 'Wrong#Password1');
    await waitOrShoot(page, 'login-anhui-error', () => page.locator('#f-password-error').waitFor({ timeout: 10_000 }));
    expect(await page.locator('#f-password-error').innerText()).toBe('账号或密码错误');
    expect(await byLabel(page, '账号').inputValue()).toBe(draft.operator.mobile);
    expect(await byLabel(page, '密码').inputValue()).toBe('');
    expect(await byLabel(page, '密码').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'login-anhui-error');

    await logIn(page, draft.operator.mobile ?? '', draft.operator.password ?? '');
    await page.waitForURL('**/anhui/choose-unit');
    await shot(page, 'choose-unit-anhui');
    await page.getByLabel(draft.unit.unitName ?? '').check();
    await page.getByRole('button', { name: '确定' }).click();
    await page.waitForURL('**/anhui/hall');
    expect(await page.locator('[data-row="unit"] dd').innerText()).toBe(draft.unit.unitName);
    expect(await page.locator('[data-row="account"] dd').innerText()).toBe(draft.operator.mobile);
    expect(await page.locator('[data-row="login-type"] dd').innerText()).toBe('单位用户');
    await shot(page, 'hall-anhui');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/anhui\/$/);
    await page.goto(`${suite.rig.baseUrl}/anhui/hall`);
    await page.waitForURL('**/anhui/login?next=%2Fanhui%2Fhall');
    // The wrong password's page is itself the 401 answer, which Chromium notes in the console.
    expect(problems.list().filter((p) => !p.includes('status of 401'))).toEqual([]);
    await page.close();
  }, 90_000);

  it('JL-2/JL-4: Jilin — register (captcha on the form), log in as an operator of two units, choose one, switch, log out', async () => {
    const page = await openPage();
    const problems = watchPage(page);
    const entry = await seedRegistryUnit(handle, 'jilin');
    const draft = registrationDraft(entry.uscc);
    await registerThroughWizard(page, 'jilin', draft, true);

    // A second unit whose operator list (新增经办人, the hall issue) already holds this operator.
    const other = await seedRegistryUnit(handle, 'jilin');
    const second = await register(handle.http, 'jilin', registrationDraft(other.uscc));
    expect(second.status).toBe(201);
    const accounts = suite.rig.testApp.app.get(AccountsRepository);
    const operator = await accounts.operatorByMobile(draft.operator.mobile ?? '');
    await accounts.bindOperator(suite.rig.testApp.app.get(DataSource), 'jilin' as ProvinceId, (second.body as { unit: { id: string } }).unit.id, operator?.id ?? '', new Date());

    await page.getByRole('link', { name: '立即登录' }).click();
    await page.waitForURL('**/jilin/login');
    expect(await page.locator('nav.tabs a').allInnerTexts()).toEqual(['单位账号/经办人账号登录', '普通登录（统一社会信用代码）']);
    await logIn(page, draft.operator.mobile ?? '', draft.operator.password ?? '');
    await page.waitForURL('**/jilin/choose-unit');
    expect(await page.locator('input[name="unitId"]').count()).toBe(2);
    await shot(page, 'choose-unit-jilin');
    await page.getByLabel(other.name).check();
    await page.getByRole('button', { name: '确定' }).click();
    await page.waitForURL('**/jilin/hall');
    expect(await page.locator('[data-row="unit"] dd').innerText()).toBe(other.name);

    await page.getByRole('link', { name: '切换单位' }).click();
    await page.waitForURL('**/jilin/choose-unit');
    await page.getByLabel(draft.unit.unitName ?? '').check();
    await page.getByRole('button', { name: '确定' }).click();
    await page.waitForURL('**/jilin/hall');
    expect(await page.locator('[data-row="unit"] dd').innerText()).toBe(draft.unit.unitName);
    await shot(page, 'hall-jilin');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/jilin\/$/);
    expect(problems.list()).toEqual([]);
    await page.close();
  }, 90_000);

  it('HN-1: Hunan — the QR tab polls its ticket and signs in once a signed-in page confirmed it', async () => {
    const entry = await seedRegistryUnit(handle, 'hunan');
    const draft = registrationDraft(entry.uscc);
    expect((await register(handle.http, 'hunan', draft)).status).toBe(201);
    const desktop = await openPage();
    const problems = watchPage(desktop);
    await desktop.goto(`${suite.rig.baseUrl}/hunan/login`);
    await desktop.getByRole('link', { name: '扫码登录' }).click();
    await desktop.waitForURL('**/hunan/login?method=qr');
    expect(await desktop.locator('img.qr-code').isVisible()).toBe(true);
    await shot(desktop, 'login-hunan-qr');
    const confirmUrl = await desktop.locator('code.confirm-url').innerText();

    // The "phone": a page of a device signed in to the hall (one browser profile here, so it shares cookies).
    const phone = await openPage();
    await phone.goto(confirmUrl);
    await phone.waitForURL(/\/hunan\/login\?next=/);
    await logIn(phone, draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '');
    await phone.waitForURL(confirmUrl);
    await shot(phone, 'qr-confirm-hunan');
    await phone.getByRole('button', { name: '确认登录' }).click();
    await phone.locator('[data-section="qr-confirmed"]').waitFor();
    await phone.close();

    // The desktop page's poll sees the approval and logs in by itself.
    await waitOrShoot(desktop, 'login-hunan-qr', () => desktop.waitForURL('**/hunan/hall', { timeout: 10_000 }));
    expect(await desktop.locator('[data-row="account"] dd').innerText()).toBe(draft.unit.unitAccount);
    expect(problems.list()).toEqual([]);
    await desktop.close();
  }, 90_000);
});
