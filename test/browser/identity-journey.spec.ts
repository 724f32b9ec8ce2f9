/**
 * A unit's journey through the branded identity pages in Chromium, scripts on: the registration
 * wizard one step at a time (SMS code sent by identity.js, captcha refreshed after it), log in,
 * choose the unit, the hall, log out — in Anhui (AH-3: the unit is chosen after every login) and
 * Jilin (JL-2's captcha on registration; an operator of two units chooses, NM-4-style). Captcha
 * answers and SMS codes are read from the dev tools on the Node side. Screenshots are kept in
 * test-artifacts/browser/identity-*.png.
 */
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { artifact, startBrowserRig, watchPage, type BrowserRig } from '#test/browser/support/browser.js';
import { codeIn, register, registrationDraft, seedRegistryUnit, type RegistrationDraft } from '#test/support/hall-journey.js';
import type { TestAppHandle } from '#test/support/test-app.js';

let rig: BrowserRig;
let handle: TestAppHandle;

beforeAll(async () => {
  rig = await startBrowserRig({}, { locale: 'zh-CN' });
  handle = { testApp: rig.testApp, http: rig.testApp.app.getHttpAdapter().getInstance().server };
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function devJson<T>(path: string): Promise<T> {
  const res = await fetch(`${rig.baseUrl}${path}`);
  if (!res.ok) throw new Error(`${path} → ${res.status}`);
  return (await res.json()) as T;
}

/** Reads the picture's answer as a person would (here: through the dev tools) and types it. */
async function solveCaptcha(page: Page): Promise<string> {
  const captchaId = await page.locator('input[name="captchaId"]').inputValue();
  const { answer } = await devJson<{ answer: string }>(`/api/v1/dev/captchas/${captchaId}`);
  await byLabel(page, '图形验证码').fill(answer);
  return captchaId;
}

async function outboxCount(phone: string): Promise<number> {
  return (await devJson<unknown[]>(`/api/v1/dev/sms-outbox?phone=${phone}`)).length;
}

async function newestCode(phone: string, before: number): Promise<string> {
  const until = Date.now() + 10_000;
  for (;;) {
    const texts = (await devJson<Array<{ text: string }>>(`/api/v1/dev/sms-outbox?phone=${phone}`)).map((m) => m.text);
    if (texts.length > before) return codeIn(texts[0]);
    if (Date.now() > until) throw new Error(`no SMS for ${phone}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The input of a label, whose text may end with the required mark. */
function byLabel(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*?$`));
}

/** A page whose steps fail within seconds, with the step named, rather than at the test's timeout. */
async function openPage(): Promise<Page> {
  const page = await rig.browser.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifact(`identity-${name}.png`), fullPage: true });
}

/** Fails with a screenshot of where it stood. */
async function waitOrShoot(page: Page, name: string, wait: () => Promise<unknown>): Promise<void> {
  await wait().catch(async (error: unknown) => {
    await shot(page, `${name}-failed`);
    throw error;
  });
}

/** The wizard with scripts: one step at a time, the SMS code through the API, a fresh captcha after it. */
async function registerThroughWizard(page: Page, province: string, draft: RegistrationDraft, captchaOnSubmit: boolean): Promise<void> {
  const { unit, operator } = draft;
  await page.goto(`${rig.baseUrl}/${province}/`);
  await page.locator('a[data-link="registration-local"]').click();
  await page.waitForURL(`**/${province}/register`);
  const unitStep = page.locator('fieldset[data-step="unit"]');
  const operatorStep = page.locator('fieldset[data-step="operator"]');
  expect(await operatorStep.isHidden()).toBe(true);
  expect(await page.locator('li[data-step-indicator="unit"]').getAttribute('aria-current')).toBe('step');

  // 下一步 checks the step first: nothing typed, nothing moves.
  await unitStep.getByRole('button', { name: '下一步' }).click();
  expect(await operatorStep.isHidden()).toBe(true);

  await byLabel(page, '单位账号').fill(unit.unitAccount ?? '');
  await byLabel(page, '单位账号密码').fill(unit.unitPassword ?? '');
  await byLabel(page, '单位名称').fill(unit.unitName ?? '');
  await byLabel(page, '统一社会信用代码').fill(unit.uscc ?? '');
  await byLabel(page, '法定代表人').fill(unit.legalRepresentative ?? '');
  await byLabel(page, '单位联系电话').fill(unit.contactPhone ?? '');
  await byLabel(page, '单位地址').fill(unit.address ?? '');
  await shot(page, `register-${province}-unit`);
  await unitStep.getByRole('button', { name: '下一步' }).click();
  expect(await unitStep.isHidden()).toBe(true);
  expect(await operatorStep.isVisible()).toBe(true);
  expect(await page.locator('li[data-step-indicator="operator"]').getAttribute('aria-current')).toBe('step');

  await byLabel(page, '经办人姓名').fill(operator.name ?? '');
  await byLabel(page, '经办人证件类型').selectOption(operator.idType ?? '');
  await byLabel(page, '证件号码').fill(operator.idNumber ?? '');
  await byLabel(page, '证件有效起始日期').fill(operator.idValidFrom ?? '');
  await byLabel(page, '证件有效截止日期').fill(operator.idValidTo ?? '');
  await byLabel(page, '经办人手机号').fill(operator.mobile ?? '');
  await byLabel(page, '经办人密码').fill(operator.password ?? '');
  await byLabel(page, '确认密码').fill(operator.confirmPassword ?? '');

  const mobile = operator.mobile ?? '';
  const before = await outboxCount(mobile);
  const spent = await solveCaptcha(page);
  await page.getByRole('button', { name: '发送验证码' }).click();
  await waitOrShoot(page, `register-${province}-sms`, () => page.locator('[data-sms-status]').filter({ hasText: '短信验证码已发送' }).waitFor({ timeout: 10_000 }));
  // The countdown runs and the spent captcha was replaced by a new one.
  expect(await page.locator('button.send-code').isDisabled()).toBe(true);
  expect(await page.locator('button.send-code').innerText()).toMatch(/^\d+ 秒后可重新发送$/);
  await page.waitForFunction((old) => (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('input[name="captchaId"]')?.value !== old, spent);
  await byLabel(page, '短信验证码').fill(await newestCode(mobile, before));
  if (captchaOnSubmit) await solveCaptcha(page);
  await shot(page, `register-${province}-operator`);
  await page.getByRole('button', { name: '提交注册' }).click();
  await waitOrShoot(page, `register-${province}`, () => page.locator('[data-registration="done"]').waitFor({ timeout: 10_000 }));
  expect(await page.locator('h1').innerText()).toBe('注册完成');
  expect(await page.locator('li[data-step-indicator="done"]').getAttribute('aria-current')).toBe('step');
  await shot(page, `register-${province}-done`);
}

async function logIn(page: Page, account: string, password: string): Promise<void> {
  await byLabel(page, '账号').fill(account);
  await byLabel(page, '密码').fill(password);
  await solveCaptcha(page);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

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
    await page.goto(`${rig.baseUrl}/anhui/hall`);
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
    const accounts = rig.testApp.app.get(AccountsRepository);
    const operator = await accounts.operatorByMobile(draft.operator.mobile ?? '');
    await accounts.bindOperator(rig.testApp.app.get(DataSource), 'jilin' as ProvinceId, (second.body as { unit: { id: string } }).unit.id, operator?.id ?? '', new Date());

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
    await desktop.goto(`${rig.baseUrl}/hunan/login`);
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
