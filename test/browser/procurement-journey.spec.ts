/**
 * The procurement issue's journey in Chromium, scripts on, in Hunan: a certified manufacturer's
 * main account signs in to the hall, goes through 招采企业服务 into the procurement subsystem,
 * adds a role of 挂网产品对码 buttons (用户基础设置 → 账号角色管理, N-6) and gives it to its operator
 * from 未分配 (JL-14); the operator then sees exactly the granted menu and buttons and matches a
 * listed product to the national catalogue (JL-16). The unit's registration and the operator's
 * first entry into procurement (XZ-11: only then can roles be given) are set up through the API.
 */
import request from 'supertest';
import { useBrowserRig, watchPage } from '#test/browser/support/browser.js';
import { journeySteps } from '#test/browser/support/journey-steps.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';

const suite = useBrowserRig({}, { locale: 'zh-CN' });
const handle = suite.app;

const { openPage, shot, waitOrShoot, logIn } = journeySteps(() => suite.rig, 'procurement');

/** A hall session's way into procurement: the one-time ticket, spent at once (N-1). */
async function enterProcurementOnce(hall: request.Agent): Promise<void> {
  const { ticket } = (await hall.post('/api/v1/provinces/hunan/hall/procurement-tickets').expect(201)).body as { ticket: string };
  await request(handle.http).post('/api/v1/provinces/hunan/procurement/sessions').send({ ticket }).expect(201);
}

describe('the procurement journey', () => {
  it('N-6, JL-14, JL-16: the unit adds a role and assigns its operator, who sees exactly the granted menu and buttons and matches a product', async () => {
    const unit = await registeredUnit(handle, 'hunan', { roleTypes: ['manufacturer'] });
    const hall = await signedIn(handle, 'hunan', unit.account, unit.password);
    await hall.post('/api/v1/provinces/hunan/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    await enterProcurementOnce(await signedIn(handle, 'hunan', unit.mobile, unit.operatorPassword));

    // The main account: hall → 招采企业服务 → the procurement home, which lists every menu of its role type.
    const main = await openPage();
    const problems = watchPage(main);
    await main.goto(`${suite.rig.baseUrl}/hunan/login`);
    await logIn(main, unit.account, unit.password);
    await main.waitForURL('**/hunan/hall');
    await main.locator('form[data-form="procurement"] button').click();
    await waitOrShoot(main, 'home-main', () => main.waitForURL('**/hunan/procurement/'));
    expect(await main.locator('[data-menu-item="product-matching"]').count()).toBe(1);

    // 账号角色管理 → 添加角色: 挂网产品对码 with 查询 and 对码 only.
    await main.locator('[data-menu-item="account-roles"] a').click();
    await main.waitForURL('**/hunan/procurement/roles');
    await main.getByLabel(/^角色名称\*?$/).last().fill('对码员');
    await main.getByLabel('备注').fill('负责挂网产品对码');
    const matching = main.locator('[data-permission-menu$="挂网产品对码"]');
    await matching.getByLabel('查询').check();
    await matching.getByLabel('对码', { exact: true }).check();
    await shot(main, 'role-add');
    await main.getByRole('button', { name: '保存角色' }).click();
    await waitOrShoot(main, 'role-added', () => main.locator('tr[data-role="对码员"]').waitFor());
    expect(await main.locator('tr[data-role="对码员"]').innerText()).toContain('挂网产品对码：查询、对码');

    // 分配账号 → 未分配 → 选择 moves the operator to 已分配.
    await main.locator('tr[data-role="对码员"] a[data-link="assign"]').click();
    await main.locator('a[data-tab="unassigned"]').click();
    await main.locator(`tr[data-account="${unit.mobile}"] button`).click();
    await main.locator('a[data-tab="assigned"]').click();
    await waitOrShoot(main, 'role-assigned', () => main.locator(`tr[data-account="${unit.mobile}"]`).waitFor());
    await shot(main, 'role-assigned');
    expect(problems.list()).toEqual([]);
    await main.close();

    // The operator: exactly one menu item, with exactly the granted buttons.
    const operator = await openPage();
    const operatorProblems = watchPage(operator);
    await operator.goto(`${suite.rig.baseUrl}/hunan/login`);
    await logIn(operator, unit.mobile, unit.operatorPassword);
    await operator.waitForURL('**/hunan/hall');
    await operator.locator('form[data-form="procurement"] button').click();
    await waitOrShoot(operator, 'home-operator', () => operator.waitForURL('**/hunan/procurement/'));
    const items = await Promise.all((await operator.locator('[data-menu-item]').all()).map((item) => item.getAttribute('data-menu-item')));
    expect(items).toEqual(['product-matching']);
    expect(await operator.locator('[data-menu-item="product-matching"] [data-actions]').innerText()).toBe('查询 · 对码');
    await shot(operator, 'home-operator');

    // 挂网产品对码: an unmatched product → 对码 → the catalogue searched by its approval number → 对码.
    await operator.locator('[data-menu-item="product-matching"] a').click();
    await operator.waitForURL('**/hunan/procurement/products');
    const row = operator.locator('table[data-table="listed-products"] tbody tr').first();
    const listingCode = (await row.getAttribute('data-listed')) ?? '';
    const approvalNumber = await row.locator('td').nth(4).innerText();
    expect(await operator.locator('form[data-form="unmatch"]').count()).toBe(0);
    await row.locator('a[data-link="match"]').click();
    await operator.waitForURL('**/hunan/procurement/products/*');
    await operator.getByLabel('批准文号（国药准字）').fill(approvalNumber);
    await operator.getByRole('button', { name: '查询国家基础产品' }).click();
    const hit = operator.locator('table[data-table="catalogue"] tbody tr').first();
    await waitOrShoot(operator, 'catalogue', () => hit.waitFor());
    expect(await hit.innerText()).toContain(approvalNumber);
    const code = (await hit.getAttribute('data-national')) ?? '';
    await shot(operator, 'catalogue');
    await hit.getByRole('button', { name: '对码' }).click();
    await waitOrShoot(operator, 'matched', () => operator.locator('[data-row="matched"] dd').filter({ hasText: `已对码：${code}` }).waitFor());
    await shot(operator, 'matched');
    await operator.locator('a[data-link="products"]').click();
    expect(await operator.locator(`tr[data-listed="${listingCode}"] [data-matched]`).innerText()).toContain(code);
    expect(operatorProblems.list()).toEqual([]);
    await operator.close();
  }, 120_000);
});
