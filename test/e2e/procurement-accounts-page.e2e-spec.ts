/**
 * 用户基础设置 → 账号管理 (JL-15) as a browser without JavaScript uses it: 查询 by login account,
 * 修改角色 with a select and 确定, 停用 behind its confirm step (the account's sessions end at once)
 * and 启用; each form posts and comes back with a 303 and a notice. The page holds the same menu
 * buttons as the API and refuses like it.
 */
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { openPage, postForm, type Page } from '#test/support/page-driver.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const P = 'hunan';
const api = `/api/v1/provinces/${P}`;
const PAGE = `/${P}/procurement/accounts`;

/** 招采企业服务 on the hall page, then the ticket's form, as the browser submits them: the agent now holds a procurement session too. */
async function enterByPage(agent: request.Agent, province = P): Promise<void> {
  const hall = await openPage(agent, `/${province}/hall`);
  const step = await postForm(agent, `/${province}/hall/procurement`, { _csrf: hall.token });
  const ticket = /name="ticket" value="([^"]+)"/.exec(step.html)?.[1] ?? '';
  expect(await postForm(agent, `/${province}/procurement/enter`, { _csrf: step.token, ticket })).toMatchObject({ status: 303 });
}

/** A certified Hunan manufacturer whose main account and operator both entered procurement through the pages. */
async function unitInProcurement() {
  const unit = await registeredUnit(suite, P, { roleTypes: ['manufacturer'] });
  const main = await signedIn(suite, P, unit.account, unit.password);
  await main.post(`${api}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const operator = await signedIn(suite, P, unit.mobile, unit.operatorPassword);
  await enterByPage(main);
  await enterByPage(operator);
  const operatorId = ((await operator.get(`${api}/procurement/session`).expect(200)).body as { accountId: string }).accountId;
  const mainId = ((await main.get(`${api}/procurement/session`).expect(200)).body as { accountId: string }).accountId;
  return { unit, main, operator, operatorId, mainId };
}

async function createRole(main: request.Agent, name: string, permissions: Record<string, string[]>): Promise<string> {
  return ((await main.post(`${api}/procurement/roles`).send({ name, remark: '', permissions }).expect(201)).body as { roleId: string }).roleId;
}

/** The account's row as the API reports it. */
async function accountOf(main: request.Agent, accountId: string) {
  return ((await main.get(`${api}/procurement/accounts`).expect(200)).body as Array<{ accountId: string; status: string; roleId?: string }>).find((a) => a.accountId === accountId);
}

/** The row of an account on the page (from its `<tr>` to the next). */
const rowOf = (page: Page, accountId: string) => new RegExp(`<tr[^>]*data-account-id="${accountId}"[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';

describe('账号管理页面', () => {
  it('JL-15: the main account queries its accounts by login account and changes an operator’s role with the select and 确定', async () => {
    const { unit, main, operatorId } = await unitInProcurement();
    const roleId = await createRole(main, '对码员', { 'product-matching': ['query', 'match'] });
    const home = await openPage(main, `/${P}/procurement/`);
    expect(home.html).toMatch(new RegExp(`data-menu-item="accounts"><a href="${PAGE}">`));

    const page = await openPage(main, PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain('subsystem-procurement');
    const row = rowOf(page, operatorId);
    expect(row).toContain(`data-account="${unit.mobile}"`);
    expect(row).toContain('经办人账号');
    expect(row).toMatch(/data-role>无角色</);
    expect(row).toMatch(/data-status-label>启用</);
    expect(row).toContain(`<option value="${roleId}">对码员</option>`);
    // 停用 opens its confirm step (a link: Handlebars writes its `=` as an entity).
    expect(row).toMatch(/<a href="[^"]*\?disable[^"]*#disable" data-action="disable">停用</);
    // Hunan takes CA certificates (HN-11): 账号管理 links CA绑定; it has no branch sub-accounts (AH-6 is Anhui's).
    expect(page.html).toContain(`href="/${P}/procurement/ca-bindings"`);
    expect(page.html).not.toContain('data-link="sub-accounts"');

    expect(rowOf(await openPage(main, `${PAGE}?name=${unit.mobile.slice(-5)}`), operatorId)).not.toBe('');
    const none = await openPage(main, `${PAGE}?name=nobody-${unit.mobile}`);
    expect(none.html).toContain('data-empty');
    expect(none.html).toContain(`value="nobody-${unit.mobile}"`);

    const changed = await postForm(main, `${PAGE}/${operatorId}/role`, { _csrf: page.token, roleId });
    expect(changed).toMatchObject({ status: 303, location: `${PAGE}?done=role&account=${operatorId}` });
    const after = await openPage(main, changed.location ?? '');
    expect(after.html).toContain(`已修改“李四（${unit.mobile}）”的角色。`);
    expect(rowOf(after, operatorId)).toMatch(/data-role>对码员</);
    expect(await accountOf(main, operatorId)).toMatchObject({ roleId });

    // Empty = no role.
    expect(await postForm(main, `${PAGE}/${operatorId}/role`, { _csrf: page.token, roleId: '' })).toMatchObject({ status: 303 });
    expect((await accountOf(main, operatorId))?.roleId).toBeUndefined();
  });

  it('JL-15: the service’s refusals are shown on the page — the main account cannot be changed or stopped, a role of another unit is not this unit’s', async () => {
    const { main, mainId, operatorId } = await unitInProcurement();
    const other = await unitInProcurement();
    const foreignRole = await createRole(other.main, '乙单位角色', {});
    const page = await openPage(main, PAGE);
    // The main account has no row of its own; a form naming it (itself) is refused in words.
    expect(page.html).not.toContain(`data-account-id="${mainId}"`);
    const stopMain = await postForm(main, `${PAGE}/${mainId}/status`, { _csrf: page.token, status: 'disabled', confirm: 'yes' });
    expect(stopMain.status).toBe(400);
    expect(stopMain.html).toContain('不能为自己的账号分配角色或停用');
    expect(stopMain.html).toContain('data-table="accounts"');
    expect((await openPage(main, `/${P}/procurement/`)).status).toBe(200);
    const foreign = await postForm(main, `${PAGE}/${operatorId}/role`, { _csrf: page.token, roleId: foreignRole });
    expect(foreign.status).toBe(404);
    expect(foreign.html).toContain('本单位没有该角色');
    expect(foreign.html).toContain('data-table="accounts"');
    expect(await accountOf(main, operatorId)).toMatchObject({ status: 'active' });
    expect((await accountOf(main, operatorId))?.roleId).toBeUndefined();
  });

  it('JL-15: 停用 asks first, then ends the operator’s procurement session at once; 启用 lets them back in', async () => {
    const { unit, main, operator, operatorId } = await unitInProcurement();
    expect((await openPage(operator, `/${P}/procurement/`)).status).toBe(200);

    const confirm = await openPage(main, `${PAGE}?disable=${operatorId}`);
    expect(confirm.html).toContain('data-section="disable"');
    expect(confirm.html).toContain('data-note="sessions-end"');
    expect(confirm.html).toContain('会话立即结束');
    expect(confirm.html).toContain(`确定停用账号“李四（${unit.mobile}）”吗？`);
    // The row's link only opens the step: a post without the step's confirmation changes nothing.
    const skipped = await postForm(main, `${PAGE}/${operatorId}/status`, { _csrf: confirm.token, status: 'disabled' });
    expect(skipped.status).toBe(400);
    expect(skipped.html).toContain('data-section="disable"');
    expect((await openPage(operator, `/${P}/procurement/`)).status).toBe(200);

    const stopped = await postForm(main, `${PAGE}/${operatorId}/status`, { _csrf: confirm.token, status: 'disabled', confirm: 'yes' });
    expect(stopped).toMatchObject({ status: 303, location: `${PAGE}?done=disabled&account=${operatorId}` });
    const after = await openPage(main, stopped.location ?? '');
    expect(after.html).toContain('data-notice');
    expect(rowOf(after, operatorId)).toMatch(/data-status-label>已停用</);
    expect(rowOf(after, operatorId)).toContain('data-action="enable"');
    // At once: the operator's next page is the procurement login, and the hall cannot hand them in.
    expect(await openPage(operator, `/${P}/procurement/`)).toMatchObject({ status: 303, location: `/${P}/procurement/login?next=%2F${P}%2Fprocurement%2F` });
    const hall = await openPage(operator, `/${P}/hall`);
    const step = await postForm(operator, `/${P}/hall/procurement`, { _csrf: hall.token });
    const ticket = /name="ticket" value="([^"]+)"/.exec(step.html)?.[1] ?? '';
    expect((await postForm(operator, `/${P}/procurement/enter`, { _csrf: step.token, ticket })).status).toBe(403);

    const enabled = await postForm(main, `${PAGE}/${operatorId}/status`, { _csrf: after.token, status: 'active' });
    expect(enabled).toMatchObject({ status: 303, location: `${PAGE}?done=enabled&account=${operatorId}` });
    expect((await openPage(main, enabled.location ?? '')).html).toContain(`已启用“李四（${unit.mobile}）”。`);
    await enterByPage(operator);
    expect((await openPage(operator, `/${P}/procurement/`)).status).toBe(200);
  });

  it('JL-15, N-6: an operator without the 账号管理 buttons gets the API’s 403 and sees no other account; with 查询 only, no buttons', async () => {
    const { unit, main, operator, operatorId, mainId } = await unitInProcurement();
    const denied = await openPage(operator, PAGE);
    expect(denied.status).toBe(403);
    expect(denied.html).toContain('您没有此操作的权限');
    expect(denied.html).not.toContain(unit.account);
    expect(denied.html).not.toContain(mainId);
    const token = (await openPage(operator, `/${P}/procurement/`)).token;
    for (const [path, fields] of [[`${PAGE}/${mainId}/status`, { status: 'disabled', confirm: 'yes' }], [`${PAGE}/${operatorId}/role`, { roleId: '' }]] as const) {
      const refused = await postForm(operator, path, { _csrf: token, ...fields });
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('您没有此操作的权限');
    }

    const viewer = await createRole(main, '账号查询', { accounts: ['query'] });
    await main.put(`${api}/procurement/accounts/${operatorId}/role`).send({ roleId: viewer }).expect(200);
    const page = await openPage(operator, PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-account="${unit.mobile}"`);
    expect(page.html).not.toContain('data-form="edit-role"');
    expect(page.html).not.toContain('data-action="disable"');
    // The page has no form to take a token from: the home page's serves (one per browser).
    const refused = await postForm(operator, `${PAGE}/${operatorId}/role`, { _csrf: token, roleId: '' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('您没有此操作的权限');
    expect(await accountOf(main, operatorId)).toMatchObject({ roleId: viewer, status: 'active' });
  });

  it('JL-15: another unit’s account id in a form is refused and nothing changes; without a procurement session the page sends to the procurement login', async () => {
    const a = await unitInProcurement();
    const b = await unitInProcurement();
    const aRole = await createRole(a.main, '甲单位角色', {});
    await a.main.put(`${api}/procurement/accounts/${a.operatorId}/role`).send({ roleId: aRole }).expect(200);
    const bPage = await openPage(b.main, PAGE);
    expect(bPage.html).not.toContain(a.operatorId);
    expect(bPage.html).not.toContain(a.unit.mobile);
    for (const [path, fields] of [
      [`${PAGE}/${a.operatorId}/status`, { status: 'disabled', confirm: 'yes' }],
      [`${PAGE}/${a.operatorId}/role`, { roleId: '' }],
      [`${PAGE}/${a.operatorId}/role`, { roleId: aRole }],
    ] as const) {
      const refused = await postForm(b.main, path, { _csrf: bPage.token, ...fields });
      expect(refused.status).toBe(404);
      expect(refused.html).not.toContain(a.unit.mobile);
    }
    // A stale or foreign confirm link opens nothing.
    const stale = await openPage(b.main, `${PAGE}?disable=${a.operatorId}`);
    expect(stale.html).not.toContain('data-section="disable"');
    expect(stale.html).toContain('账号不存在或不属于本单位');
    expect(await accountOf(a.main, a.operatorId)).toMatchObject({ status: 'active', roleId: aRole });
    expect((await openPage(a.operator, `/${P}/procurement/`)).status).toBe(200);

    const visitor = request.agent(suite.http);
    expect(await openPage(visitor, PAGE)).toMatchObject({ status: 303, location: `/${P}/procurement/login?next=${encodeURIComponent(PAGE)}` });
    // A hall session is not a procurement session.
    expect((await openPage(await signedIn(suite, P, a.unit.account, a.unit.password), PAGE)).status).toBe(303);
  });

  it('JL-15, AH-6: where main hospitals make branch sub-accounts, 账号管理 links 添加机构子账号 for the main account', async () => {
    const code = `H3408${String(process.pid % 100000).padStart(6, '0')}`;
    const unit = await registeredUnit(suite, 'anhui', { roleTypes: ['medical-institution'], institutions: [{ code: `${code}M`, name: '示例总院', kind: 'main' }, { code, name: '示例总院东区分院', kind: 'branch' }] });
    const main = await signedIn(suite, 'anhui', unit.account, unit.password);
    await main.post('/api/v1/provinces/anhui/hall/certifications').send({ roleType: 'medical-institution' }).expect(201);
    await enterByPage(main, 'anhui');
    const page = await openPage(main, '/anhui/procurement/accounts');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/anhui/procurement/sub-accounts" data-link="sub-accounts"');
    expect(page.html).toContain('添加机构子账号');
  });
});
