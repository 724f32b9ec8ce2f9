/**
 * The steps every browser journey takes on the branded pages: captchas and SMS codes read from the
 * dev tools on the Node side (as a person reads the picture and the phone), the registration wizard,
 * the login form, screenshots kept in test-artifacts/browser/.
 */
import type { Page } from 'playwright-core';
import { artifact, type BrowserRig } from '#test/browser/support/browser.js';
import { codeIn, type RegistrationDraft } from '#test/support/hall-journey.js';

/** The steps, bound to the rig a spec file starts in its beforeAll (read when a step runs). */
export function journeySteps(rigOf: () => BrowserRig, shotPrefix: string) {
  async function devJson<T>(path: string): Promise<T> {
    const res = await fetch(`${rigOf().baseUrl}${path}`);
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
    const page = await rigOf().browser.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: artifact(`${shotPrefix}-${name}.png`), fullPage: true });
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
    await page.goto(`${rigOf().baseUrl}/${province}/`);
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

  return { devJson, solveCaptcha, outboxCount, newestCode, byLabel, openPage, shot, waitOrShoot, registerThroughWizard, logIn };
}
