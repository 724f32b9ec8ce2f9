/**
 * 用户基础设置 → 账号角色管理 and 账号管理 (N-6, NM-3, XZ-10, XZ-11, JL-14, JL-15), authorised with
 * CASL: after registration only the main account holds permissions; it makes roles of menu buttons
 * and gives them to operators, whose menus and routes follow at once.
 */
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;

interface MenuTree {
  id: string;
  items: Array<{ id: string; actions: Array<{ id: string }> }>;
}

/** A hall agent's one-time ticket exchanged for a procurement agent. */
async function enterProcurement(hall: request.Agent, province: string): Promise<request.Agent> {
  const { ticket } = (await hall.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const tps = request.agent(suite.http);
  await tps.post(`${api(province)}/procurement/sessions`).send({ ticket }).expect(201);
  return tps;
}

/** A certified manufacturer: its main account and its first operator, both in procurement. */
async function unitInProcurement(province: string, options: { operatorEnters?: boolean } = {}) {
  const unit = await registeredUnit(suite, province, { roleTypes: ['manufacturer'] });
  const hall = await signedIn(suite, province, unit.account, unit.password);
  await hall.post(`${api(province)}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const main = await enterProcurement(hall, province);
  const operatorHall = await signedIn(suite, province, unit.mobile, unit.operatorPassword);
  if (province === 'anhui' || province === 'neimenggu') await operatorHall.put(`${api(province)}/session/unit`).send({ unitId: unit.unitId }).expect(200);
  const operator = options.operatorEnters === false ? undefined : await enterProcurement(operatorHall, province);
  return { unit, hall, main, operator, operatorHall };
}

const menus = async (agent: request.Agent, province: string) => (await agent.get(`${api(province)}/procurement/menus`).expect(200)).body as MenuTree[];
const buttons = (tree: MenuTree[]) => Object.fromEntries(tree.flatMap((m) => m.items.map((i) => [i.id, i.actions.map((a) => a.id)])));

function createRole(main: request.Agent, province: string, name: string, permissions: Record<string, string[]>): request.Test {
  return main.post(`${api(province)}/procurement/roles`).send({ name, remark: '测试', permissions });
}

async function operatorAccountId(main: request.Agent, province: string, roleId: string): Promise<string> {
  const tab = (await main.get(`${api(province)}/procurement/roles/${roleId}/accounts?tab=unassigned`).expect(200)).body as { accounts: Array<{ accountId: string; kind: string }> };
  const operator = tab.accounts.find((a) => a.kind === 'operator');
  if (!operator) throw new Error('no unassigned operator');
  return operator.accountId;
}

describe('账号角色管理', () => {
  it('N-6: after registration the main account holds every button of its menus; an operator holds none and is refused', async () => {
    const { main, operator } = await unitInProcurement('hunan');
    expect(buttons(await menus(main, 'hunan'))).toEqual({ 'account-roles': ['query', 'add', 'edit', 'delete', 'assign'], accounts: ['query', 'edit-role', 'toggle', 'add-sub-account'], 'product-matching': ['query', 'match', 'unmatch'] });
    expect(await menus(operator ?? main, 'hunan')).toEqual([]);
    expect((await operator?.get(`${api('hunan')}/procurement/roles`).expect(403))?.body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
  });

  it('NM-3, JL-14: the main account adds a role, queries it by name, assigns the operator from 未分配; the operator’s menus follow at once', async () => {
    const { main, operator } = await unitInProcurement('neimenggu');
    const made = await createRole(main, 'neimenggu', '对码员', { 'product-matching': ['query', 'match'] });
    expect(made.status).toBe(201);
    const role = made.body as { roleId: string; version: number; permissions: Array<{ menu: string; title: string; actions: Array<{ id: string; title: string }> }> };
    expect(role.permissions).toEqual([{ menu: 'product-matching', title: '挂网产品对码', actions: [{ id: 'query', title: '查询' }, { id: 'match', title: '对码' }] }]);
    expect(((await main.get(`${api('neimenggu')}/procurement/roles?name=对码`).expect(200)).body as unknown[]).length).toBe(1);
    expect(((await main.get(`${api('neimenggu')}/procurement/roles?name=财务`).expect(200)).body as unknown[]).length).toBe(0);

    const accountId = await operatorAccountId(main, 'neimenggu', role.roleId);
    await main.put(`${api('neimenggu')}/procurement/roles/${role.roleId}/accounts/${accountId}`).expect(200);
    const assigned = (await main.get(`${api('neimenggu')}/procurement/roles/${role.roleId}/accounts?tab=assigned`).expect(200)).body as { accounts: Array<{ accountId: string }> };
    expect(assigned.accounts.map((a) => a.accountId)).toEqual([accountId]);
    expect(buttons(await menus(operator ?? main, 'neimenggu'))).toEqual({ 'product-matching': ['query', 'match'] });

    // Changed in one place, the operator's ability is rebuilt on their next request.
    await main.put(`${api('neimenggu')}/procurement/roles/${role.roleId}`).send({ name: '对码员', remark: '只读', permissions: { 'product-matching': ['query'] } }).expect(200);
    expect(buttons(await menus(operator ?? main, 'neimenggu'))).toEqual({ 'product-matching': ['query'] });
  });

  it('JL-14: a role held by an account is not deleted; 删除 on 已分配 moves the account back to 未分配, then the role goes', async () => {
    const { main } = await unitInProcurement('anhui');
    const role = (await createRole(main, 'anhui', '账号管理员', { accounts: ['query'] }).expect(201)).body as { roleId: string };
    const accountId = await operatorAccountId(main, 'anhui', role.roleId);
    await main.put(`${api('anhui')}/procurement/roles/${role.roleId}/accounts/${accountId}`).expect(200);
    expect((await main.delete(`${api('anhui')}/procurement/roles/${role.roleId}`).expect(409)).body).toMatchObject({ code: 'ROLE_IN_USE' });
    await main.delete(`${api('anhui')}/procurement/roles/${role.roleId}/accounts/${accountId}`).expect(204);
    expect(((await main.get(`${api('anhui')}/procurement/roles/${role.roleId}/accounts?tab=unassigned`).expect(200)).body as { accounts: Array<{ accountId: string }> }).accounts.map((a) => a.accountId)).toContain(accountId);
    await main.delete(`${api('anhui')}/procurement/roles/${role.roleId}`).expect(204);
    await main.get(`${api('anhui')}/procurement/roles/${role.roleId}/accounts`).expect(404);
  });

  it('XZ-11: a Tibetan operator who never entered procurement is not assignable yet, and 未分配 says who must first', async () => {
    const { main, operatorHall, unit } = await unitInProcurement('xizang', { operatorEnters: false });
    const role = (await createRole(main, 'xizang', '经办员', { 'account-roles': ['query'] }).expect(201)).body as { roleId: string };
    const before = (await main.get(`${api('xizang')}/procurement/roles/${role.roleId}/accounts?tab=unassigned`).expect(200)).body as { accounts: unknown[]; notYetEntered: Array<{ mobile: string }>; note: string };
    expect(before.accounts).toEqual([]);
    expect(before.notYetEntered).toEqual([{ mobile: unit.mobile, name: unit.operator.name }]);
    expect(before.note).toContain('登录一次招采系统');
    await enterProcurement(operatorHall, 'xizang');
    const after = (await main.get(`${api('xizang')}/procurement/roles/${role.roleId}/accounts?tab=unassigned`).expect(200)).body as { accounts: Array<{ account: string }>; notYetEntered: unknown[] };
    expect(after.accounts.map((a) => a.account)).toEqual([unit.mobile]);
    expect(after.notYetEntered).toEqual([]);
  });

  it('XZ-10: in Tibet permissions are given only while the unit has operators', async () => {
    const { main, hall } = await unitInProcurement('xizang');
    const role = (await createRole(main, 'xizang', '查询员', { 'account-roles': ['query'] }).expect(201)).body as { roleId: string };
    const accountId = await operatorAccountId(main, 'xizang', role.roleId);
    const [row] = (await hall.get(`${api('xizang')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    await hall.delete(`${api('xizang')}/hall/operators/${row?.operatorId ?? ''}`).expect(204);
    expect((await main.put(`${api('xizang')}/procurement/roles/${role.roleId}/accounts/${accountId}`).expect(409)).body).toMatchObject({ code: 'ROLES_NOT_YET', message: expect.stringContaining('审核通过') as unknown });
  });

  it('JL-15: 账号管理 queries by name, changes the role, 停用 ends the account’s session at once and 启用 lets it back', async () => {
    const { main, operator, operatorHall, unit } = await unitInProcurement('hunan');
    const role = (await createRole(main, 'hunan', '查询员', { accounts: ['query'] }).expect(201)).body as { roleId: string };
    const listed = (await main.get(`${api('hunan')}/procurement/accounts?name=${unit.mobile.slice(-4)}`).expect(200)).body as Array<{ accountId: string; account: string }>;
    expect(listed.map((a) => a.account)).toEqual([unit.mobile]);
    const accountId = listed[0]?.accountId ?? '';
    expect((await main.put(`${api('hunan')}/procurement/accounts/${accountId}/role`).send({ roleId: role.roleId }).expect(200)).body).toMatchObject({ roleId: role.roleId, roleName: '查询员' });
    await operator?.get(`${api('hunan')}/procurement/accounts`).expect(200);
    await main.put(`${api('hunan')}/procurement/accounts/${accountId}/status`).send({ status: 'disabled' }).expect(200);
    await operator?.get(`${api('hunan')}/procurement/session`).expect(401);
    const { ticket } = (await operatorHall.post(`${api('hunan')}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
    expect((await request(suite.http).post(`${api('hunan')}/procurement/sessions`).send({ ticket }).expect(403)).body).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    await main.put(`${api('hunan')}/procurement/accounts/${accountId}/status`).send({ status: 'active' }).expect(200);
    await enterProcurement(operatorHall, 'hunan');
    await main.put(`${api('hunan')}/procurement/accounts/${accountId}/role`).send({ roleId: '' }).expect(200);
  });

  it('JL-14: nobody grants what they do not hold; a role’s menus are its unit’s role type’s; a stale edit is refused', async () => {
    const { main, operator } = await unitInProcurement('anhui');
    const admin = (await createRole(main, 'anhui', '角色管理员', { 'account-roles': ['query', 'add'] }).expect(201)).body as { roleId: string; version: number };
    await main.put(`${api('anhui')}/procurement/roles/${admin.roleId}/accounts/${await operatorAccountId(main, 'anhui', admin.roleId)}`).expect(200);
    const escalation = await createRole(operator ?? main, 'anhui', '越权', { 'product-matching': ['match'] });
    expect(escalation.status).toBe(400);
    expect(escalation.body).toMatchObject({ code: 'ROLE_INVALID', fields: { 'permissions.product-matching': '不能授予自己没有的权限' } });
    await createRole(operator ?? main, 'anhui', '只读', { 'account-roles': ['query'] }).expect(201);
    expect((await createRole(main, 'anhui', '未知', { 'no-such-menu': ['query'] }).expect(400)).body).toMatchObject({ fields: { 'permissions.no-such-menu': expect.any(String) as unknown } });
    expect((await createRole(main, 'anhui', '角色管理员', {}).expect(409)).body).toMatchObject({ code: 'ROLE_NAME_TAKEN' });
    await main.put(`${api('anhui')}/procurement/roles/${admin.roleId}`).send({ name: '角色管理员', remark: '一', permissions: {}, version: admin.version }).expect(200);
    expect((await main.put(`${api('anhui')}/procurement/roles/${admin.roleId}`).send({ name: '角色管理员', remark: '二', permissions: {}, version: admin.version }).expect(409)).body).toMatchObject({ code: 'ROLE_CHANGED' });
  });

  it('JL-14: another unit’s role and account are not found, and the main account is not assignable', async () => {
    const a = await unitInProcurement('hunan');
    const b = await unitInProcurement('hunan', { operatorEnters: false });
    const role = (await createRole(a.main, 'hunan', '甲单位角色', { accounts: ['query'] }).expect(201)).body as { roleId: string };
    const accountId = await operatorAccountId(a.main, 'hunan', role.roleId);
    await b.main.get(`${api('hunan')}/procurement/roles/${role.roleId}/accounts`).expect(404);
    await b.main.put(`${api('hunan')}/procurement/roles/${role.roleId}`).send({ name: 'x', permissions: {} }).expect(404);
    await b.main.delete(`${api('hunan')}/procurement/roles/${role.roleId}`).expect(404);
    const own = (await createRole(b.main, 'hunan', '乙单位角色', {}).expect(201)).body as { roleId: string };
    await b.main.put(`${api('hunan')}/procurement/roles/${own.roleId}/accounts/${accountId}`).expect(404);
    await b.main.put(`${api('hunan')}/procurement/accounts/${accountId}/status`).send({ status: 'disabled' }).expect(404);
    expect(((await b.main.get(`${api('hunan')}/procurement/roles`).expect(200)).body as Array<{ name: string }>).map((r) => r.name)).toEqual(['乙单位角色']);
    const mainId = ((await a.main.get(`${api('hunan')}/procurement/session`).expect(200)).body as { accountId: string }).accountId;
    expect((await a.main.put(`${api('hunan')}/procurement/roles/${role.roleId}/accounts/${mainId}`).expect(400)).body).toMatchObject({ code: 'PROCUREMENT_ACCOUNT_NOT_ASSIGNABLE' });
  });
});
