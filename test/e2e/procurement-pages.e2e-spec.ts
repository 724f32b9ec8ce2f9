/**
 * The hand-off and the procurement subsystem's pages, as a browser without JavaScript walks them:
 * 招采企业服务 on the hall page → the ticket's form → the procurement home (N-5, XZ-7, HN-2, AH-4),
 * the subsystem's own login page (AH-6, AH-7) and 机构子账号 (AH-6).
 */
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { freshMobile, registeredUnit, seedRegistryUnit, signedIn } from '#test/support/hall-journey.js';
import { htmlText, openPage, pageCaptcha, postForm } from '#test/support/page-driver.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const ticketOf = (html: string) => /name="ticket" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** From the hall page: the 招采企业服务 form, then the ticket's form, as the browser would submit them. */
async function handOff(hall: request.Agent, province: string) {
  const page = await openPage(hall, `/${province}/hall`);
  expect(page.status).toBe(200);
  const step = await postForm(hall, `/${province}/hall/procurement`, { _csrf: page.token });
  return step;
}

describe('招采系统页面', () => {
  it('XZ-7: Tibet’s hall offers 医药采购服务; its form leads to the procurement home with a session of its own', async () => {
    const unit = await registeredUnit(suite, 'xizang');
    const hall = await signedIn(suite, 'xizang', unit.account, unit.password);
    await hall.post('/api/v1/provinces/xizang/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const hallPage = await openPage(hall, '/xizang/hall');
    expect(hallPage.html).toMatch(/data-service="procurement"[\s\S]*?医药采购服务/);
    const step = await handOff(hall, 'xizang');
    expect(step.status).toBe(200);
    expect(step.html).toContain('data-autosubmit');
    expect(step.html).toContain('/assets/handoff.js');
    // The ticket is in the form, never in a URL.
    expect(step.html).toContain('action="/xizang/procurement/enter"');
    const entered = await postForm(hall, '/xizang/procurement/enter', { _csrf: step.token, ticket: ticketOf(step.html) });
    expect(entered).toMatchObject({ status: 303, location: '/xizang/procurement/' });
    const home = await openPage(hall, '/xizang/procurement/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('subsystem-procurement');
    expect(home.html).toContain(unit.account);
    expect(home.html).toContain('账号角色管理');
    // The product-matching menu is for manufacturers only (N-3): this one is one.
    expect(home.html).toContain('挂网产品对码');
  });

  it('HN-2: Hunan’s hall shows 招采企业服务 with its path 单位网厅首页 › 招采企业服务 › 立即查看, and it opens the procurement home', async () => {
    const unit = await registeredUnit(suite, 'hunan', { roleTypes: ['manufacturer'] });
    const hall = await signedIn(suite, 'hunan', unit.account, unit.password);
    await hall.post('/api/v1/provinces/hunan/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const hallPage = await openPage(hall, '/hunan/hall');
    expect(hallPage.html).toMatch(/data-service="procurement"[\s\S]*?招采企业服务[\s\S]*?单位网厅首页 › 招采企业服务 › 立即查看/);
    const step = await handOff(hall, 'hunan');
    const entered = await postForm(hall, '/hunan/procurement/enter', { _csrf: step.token, ticket: ticketOf(step.html) });
    expect(entered).toMatchObject({ status: 303, location: '/hunan/procurement/' });
    expect((await openPage(hall, '/hunan/procurement/')).html).toContain(unit.account);
  });

  it('N-5, AH-4: an uncertified unit is told to certify first, with the way there', async () => {
    const unit = await registeredUnit(suite, 'anhui');
    const hall = await signedIn(suite, 'anhui', unit.account, unit.password);
    const step = await handOff(hall, 'anhui');
    expect(step.status).toBe(403);
    expect(step.html).toContain('data-refused');
    expect(step.html).toContain('href="/anhui/certify"');
  });

  it('N-1: a spent ticket on the page says so and points back to the hall; no ticket without the CSRF token', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const hall = await signedIn(suite, 'hunan', unit.account, unit.password);
    await hall.post('/api/v1/provinces/hunan/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const step = await handOff(hall, 'hunan');
    const ticket = ticketOf(step.html);
    await postForm(hall, '/hunan/procurement/enter', { _csrf: step.token, ticket });
    const again = await postForm(hall, '/hunan/procurement/enter', { _csrf: step.token, ticket });
    expect(again.status).toBe(401);
    expect(again.html).toContain('href="/hunan/hall"');
    expect((await postForm(request.agent(suite.http), '/hunan/procurement/enter', { ticket })).status).toBe(403);
  });

  it('N-5: without a procurement session its pages go to its own login page, which in Jilin points to the hall', async () => {
    const visitor = request.agent(suite.http);
    expect(await openPage(visitor, '/jilin/procurement/')).toMatchObject({ status: 303, location: '/jilin/procurement/login?next=%2Fjilin%2Fprocurement%2F' });
    const login = await openPage(visitor, '/jilin/procurement/login');
    expect(login.status).toBe(200);
    expect(login.html).toContain('data-through-hall');
    expect(login.html).toContain('href="/jilin/login"');
    expect(login.html).not.toContain('name="password"');
  });

  it('AH-6: the main account makes a branch sub-account on its page; the branch signs in at the procurement login page', async () => {
    const branchCode = `H3409${String(process.pid % 100000).padStart(6, '0')}`;
    const unit = await registeredUnit(suite, 'anhui', { roleTypes: ['medical-institution'], institutions: [{ code: `${branchCode}M`, name: '示例总院', kind: 'main' }, { code: branchCode, name: '示例总院西区分院', kind: 'branch' }] });
    const hall = await signedIn(suite, 'anhui', unit.account, unit.password);
    await hall.post('/api/v1/provinces/anhui/hall/certifications').send({ roleType: 'medical-institution' }).expect(201);
    const step = await handOff(hall, 'anhui');
    await postForm(hall, '/anhui/procurement/enter', { _csrf: step.token, ticket: ticketOf(step.html) });
    const home = await openPage(hall, '/anhui/procurement/');
    expect(home.html).toContain('href="/anhui/procurement/sub-accounts"');
    const form = await openPage(hall, '/anhui/procurement/sub-accounts');
    expect(form.html).toContain(`value="${branchCode}"`);
    const fields = { _csrf: form.token, institutionCode: branchCode, loginName: `xiqu${String(process.pid % 10000)}`, password: 'Fenyuan#2025', confirmPassword: 'Fenyuan#2025', contactName: '赵六', contactPhone: freshMobile() };
    const bad = await postForm(hall, '/anhui/procurement/sub-accounts', { ...fields, contactPhone: '12' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(`value="${fields.loginName}"`);
    const made = await postForm(hall, '/anhui/procurement/sub-accounts', fields);
    expect(made.status).toBe(201);
    expect(made.html).toContain('data-created');
    expect(made.html).toContain(`data-sub-account="${fields.loginName}"`);

    const branch = request.agent(suite.http);
    const login = await openPage(branch, '/anhui/procurement/login');
    const wrong = await postForm(branch, '/anhui/procurement/login', { _csrf: login.token, account: fields.loginName, password: 'Wrong#Pass1', ...(await pageCaptcha(suite.http, login.html)), action: 'login' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain(`value="${fields.loginName}"`);
    const ok = await postForm(branch, '/anhui/procurement/login', { _csrf: wrong.token, account: fields.loginName, password: fields.password, ...(await pageCaptcha(suite.http, wrong.html)), action: 'login' });
    expect(ok).toMatchObject({ status: 303, location: '/anhui/procurement/' });
    const branchHome = await openPage(branch, '/anhui/procurement/');
    expect(branchHome.html).toContain('示例总院西区分院');
    const out = await postForm(branch, '/anhui/procurement/logout', { _csrf: branchHome.token });
    expect(out).toMatchObject({ status: 303, location: '/anhui/hall' });
    expect((await openPage(branch, '/anhui/procurement/')).status).toBe(303);
  });

  it('AH-7: the Anhui administrator creates a prison hospital’s account on the admin page; the password shows once and signs in at the procurement login page', async () => {
    const prisonCode = `H3407${String(process.pid % 100000).padStart(6, '0')}`;
    await seedRegistryUnit(suite, 'anhui', { roleTypes: ['medical-institution'], institutions: [{ code: prisonCode, name: '示例监狱医院', kind: 'prison' }] });
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'anhui'));
    const page = await openPage(admin, '/anhui/admin/special-institutions');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-admin-nav="special-institutions"');
    expect(page.html).toContain(`value="${prisonCode}"`);
    const loginName = `jianyu${String(process.pid % 10000)}`;
    const made = await postForm(admin, '/anhui/admin/special-institutions', { _csrf: page.token, institutionCode: prisonCode, loginName });
    expect(made.status).toBe(201);
    const password = htmlText(/初始密码：([^。]+)。/.exec(made.html)?.[1] ?? '');
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect((await openPage(admin, '/anhui/admin/special-institutions')).html).not.toContain(password);

    const hospital = request.agent(suite.http);
    const login = await openPage(hospital, '/anhui/procurement/login');
    const ok = await postForm(hospital, '/anhui/procurement/login', { _csrf: login.token, account: loginName, password, ...(await pageCaptcha(suite.http, login.html)), action: 'login' });
    expect(ok).toMatchObject({ status: 303, location: '/anhui/procurement/' });
    expect((await openPage(hospital, '/anhui/procurement/')).html).toContain('示例监狱医院');
  });

  it('AH-7: provinces without special institutions have no such admin section; visitors are sent to sign in', async () => {
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'hunan'));
    expect((await openPage(admin, '/hunan/admin')).html).not.toContain('data-admin-nav="special-institutions"');
    expect(await openPage(request.agent(suite.http), '/anhui/admin/special-institutions')).toMatchObject({ status: 303 });
  });

  it('NM-3, JL-14, N-6: on the pages the main account adds a role of menu buttons and gives it to an operator from 未分配; the operator’s home shows exactly those buttons', async () => {
    const unit = await registeredUnit(suite, 'hunan', { roleTypes: ['manufacturer'] });
    const hall = await signedIn(suite, 'hunan', unit.account, unit.password);
    await hall.post('/api/v1/provinces/hunan/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const operatorHall = await signedIn(suite, 'hunan', unit.mobile, unit.operatorPassword);
    for (const agent of [hall, operatorHall]) {
      const step = await handOff(agent, 'hunan');
      await postForm(agent, '/hunan/procurement/enter', { _csrf: step.token, ticket: ticketOf(step.html) });
    }
    expect((await openPage(operatorHall, '/hunan/procurement/')).html).toContain('data-no-menus');
    expect((await openPage(operatorHall, '/hunan/procurement/roles')).status).toBe(403);

    const rolesPage = await openPage(hall, '/hunan/procurement/roles');
    expect(rolesPage.html).toContain('name="perm.product-matching" value="match"');
    const form = new URLSearchParams({ _csrf: rolesPage.token, name: '对码员', remark: '页面' });
    form.append('perm.product-matching', 'query');
    form.append('perm.product-matching', 'match');
    const made = await hall.post('/hunan/procurement/roles').set('Accept', 'text/html').type('form').send(form.toString());
    expect(made.status).toBe(303);
    const listed = await openPage(hall, '/hunan/procurement/roles');
    expect(listed.html).toContain('挂网产品对码：查询、对码');
    const accountsHref = /href="(\/hunan\/procurement\/roles\/[^"]+\/accounts)"/.exec(listed.html)?.[1] ?? '';
    const unassigned = await openPage(hall, `${accountsHref}?tab=unassigned`);
    expect(unassigned.html).toContain(`data-account="${unit.mobile}"`);
    const chooseAction = new RegExp(`data-account="${unit.mobile}"[\\s\\S]*?action="([^"]+)"`).exec(unassigned.html)?.[1] ?? '';
    expect(await postForm(hall, chooseAction, { _csrf: unassigned.token, action: 'choose' })).toMatchObject({ status: 303 });
    expect((await openPage(hall, `${accountsHref}?tab=assigned`)).html).toContain(`data-account="${unit.mobile}"`);

    const home = await openPage(operatorHall, '/hunan/procurement/');
    expect(home.html).toMatch(/data-menu-item="product-matching"[^>]*>[\s\S]*?data-actions>查询 · 对码</);
    expect(home.html).not.toContain('data-menu-item="account-roles"');
  });
});
