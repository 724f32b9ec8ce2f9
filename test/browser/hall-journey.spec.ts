/**
 * The hall issue's journey in Chromium, scripts on, in Inner Mongolia: register in the wizard →
 * log in → 角色认证 (N-5) → 单位经办人 → 新增经办人 by mobile + captcha + SMS code (NM-2) → the
 * operator logs in and chooses the unit (NM-4) → 招采企业服务 → the procurement subsystem (NM-3,
 * N-1) → and the province administrator sees all of it in the audit trail. The app's clock is a
 * manual one, moved past the one-SMS-a-minute limit between the codes a phone receives.
 */
import { ManualClock } from '#src/clock/clock.js';
import { useBrowserRig, watchPage } from '#test/browser/support/browser.js';
import { journeySteps } from '#test/browser/support/journey-steps.js';
import { register, registrationDraft, seedRegistryUnit } from '#test/support/hall-journey.js';
import { createTestAdministrator } from '#test/support/province-admin.js';

const clock = new ManualClock();
const suite = useBrowserRig({}, { locale: 'zh-CN', clock });
const handle = suite.app;

const { byLabel, openPage, shot, waitOrShoot, registerThroughWizard, logIn, solveCaptcha, outboxCount, newestCode } = journeySteps(() => suite.rig, 'hall');

describe('the hall journey', () => {
  it('NM-2, NM-3, NM-4, N-5: register → certify → add an operator → the operator chooses the unit → hand-off into procurement; the administrator sees it', async () => {
    const page = await openPage();
    const problems = watchPage(page);
    const entry = await seedRegistryUnit(handle, 'neimenggu', { roleTypes: ['manufacturer'] });
    const draft = registrationDraft(entry.uscc);
    await registerThroughWizard(page, 'neimenggu', draft, false);
    // The colleague to add already has an operator account (at another unit): NM-2 finds them by mobile.
    const other = await seedRegistryUnit(handle, 'neimenggu');
    const colleague = registrationDraft(other.uscc);
    expect((await register(handle.http, 'neimenggu', colleague)).status).toBe(201);

    // The unit account logs in; the hall asks for 角色认证 first (N-5).
    await page.getByRole('link', { name: '立即登录' }).click();
    await page.waitForURL('**/neimenggu/login');
    await logIn(page, draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '');
    await page.waitForURL('**/neimenggu/hall');
    await page.locator('[data-service="certification"] a.service-title').click();
    await page.waitForURL('**/neimenggu/certify');
    await page.getByLabel('生产/代理企业').check();
    await page.getByRole('button', { name: '去认证' }).click();
    await waitOrShoot(page, 'certify-neimenggu', () => page.locator('[data-certified]').waitFor());
    await shot(page, 'certify-neimenggu');
    await page.locator('a[data-link="back-to-hall"]').click();
    await page.waitForURL('**/neimenggu/hall');

    // 单位管理 → 单位经办人 → 新增经办人 (NM-2).
    await page.locator('[data-service="operators"] a.service-title').click();
    await page.waitForURL('**/neimenggu/hall/operators**');
    const mobile = colleague.operator.mobile ?? '';
    await page.locator('form[data-form="add-operator"] input[name="mobile"]').fill(mobile);
    clock.advanceSeconds(61);
    const before = await outboxCount(mobile);
    await solveCaptcha(page);
    await page.locator('form[data-form="add-operator"] button[value="send-code"]').click();
    await waitOrShoot(page, 'operators-neimenggu-sent', () => page.locator('form[data-form="add-operator"] [data-notice]').waitFor());
    await page.locator('form[data-form="add-operator"] input[name="smsCode"]').fill(await newestCode(mobile, before));
    await page.locator('form[data-form="add-operator"] button[value="add"]').last().click();
    await waitOrShoot(page, 'operators-neimenggu-added', () => page.locator(`text=${mobile}`).first().waitFor());
    await shot(page, 'operators-neimenggu');
    await page.locator('a[data-link="back-to-hall-bottom"]').click();
    await page.waitForURL('**/neimenggu/hall');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/neimenggu\/$/);

    // The colleague logs in and chooses the unit among their two (NM-4).
    await page.goto(`${suite.rig.baseUrl}/neimenggu/login`);
    await logIn(page, mobile, colleague.operator.password ?? '');
    await page.waitForURL('**/neimenggu/choose-unit**');
    await page.getByLabel(draft.unit.unitName ?? '').check();
    await page.getByRole('button', { name: '确定' }).click();
    await page.waitForURL('**/neimenggu/hall');
    expect(await page.locator('[data-row="unit"] dd').innerText()).toBe(draft.unit.unitName);

    // 招采企业服务 → the procurement subsystem, through the one-time ticket (N-1, NM-3).
    await page.locator('form[data-form="procurement"] button').click();
    await waitOrShoot(page, 'procurement-neimenggu', () => page.waitForURL('**/neimenggu/procurement/'));
    expect(await page.locator('[data-row="account"] dd').innerText()).toBe(mobile);
    expect(await page.locator('[data-row="unit"] dd').innerText()).toContain(draft.unit.unitName ?? '');
    expect(await page.locator('body').getAttribute('class')).toContain('subsystem-procurement');
    await shot(page, 'procurement-neimenggu');

    // The province administrator reads it in the audit trail, filtered by the unit's credit code.
    const admin = await createTestAdministrator(handle, 'neimenggu');
    await page.goto(`${suite.rig.baseUrl}/neimenggu/admin`);
    await byLabel(page, '管理员账号').fill(admin.account);
    await byLabel(page, '密码').fill(admin.password);
    await solveCaptcha(page);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL('**/neimenggu/admin**');
    await page.goto(`${suite.rig.baseUrl}/neimenggu/admin/audit?unit=${entry.uscc}`);
    const kinds = await Promise.all((await page.locator('table[data-table="audit"] tr[data-kind]').all()).map((row) => row.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['registration.created', 'certification.created', 'operator.added', 'session.unit-chosen', 'procurement.ticket-issued', 'procurement.session-opened']));
    await shot(page, 'audit-neimenggu');
    expect(problems.list()).toEqual([]);
    await page.close();
  }, 120_000);
});
