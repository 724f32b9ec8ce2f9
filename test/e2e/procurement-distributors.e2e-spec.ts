/**
 * Distributors who register at the procurement subsystem itself (HN-10) and log in there with a
 * password or a CA certificate (HN-11): 用户注册 (API and page), the province administrator's review
 * (approve, or reject with a reason the registrant sees), the login answers before and after it,
 * the refusals (fields, N-4, duplicates, provinces without it) and another province's administrator.
 */
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { testAuthority, testClient } from '#src/ca/pki/test-pki.js';
import { devTrustDir, proof, trustRoot } from '#test/support/ca-journey.js';
import { freshMobile, freshUscc, seedRegistryUnit, solvedCaptcha } from '#test/support/hall-journey.js';
import { openPage, pageCaptcha, postForm } from '#test/support/page-driver.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const P = 'hunan';
const api = (province: string) => `/api/v1/provinces/${province}`;
const PASSWORD = 'Peisong#2025';
const clock = new ManualClock();
const trustDir = devTrustDir();
const authority = testAuthority('sm2', { name: '测试CA 配送' });
trustRoot(trustDir, P, 'hunan-ca', 'distributors', authority);
const suite = useTestApp({ caDevTrustDir: trustDir }, { clock });

let sequence = 0;
const loginName = () => `peisong${String((sequence += 1))}x${String(process.pid % 10000)}`;

/** A distributor of the national registry, and the body that registers it. */
async function draft(overrides: Record<string, string> = {}) {
  const entry = await seedRegistryUnit(suite, P, { roleTypes: ['distributor'], name: `湖南测试医药配送有限公司${String(sequence)}` });
  return { entry, body: { unitName: entry.name, uscc: entry.uscc, contactName: '刘配送', contactMobile: freshMobile(), loginName: loginName(), password: PASSWORD, confirmPassword: PASSWORD, ...overrides } };
}

/** POST …/distributor-registrations with a solved captcha, expecting `status`. */
async function register(body: Record<string, string>, status: number) {
  return request(suite.http)
    .post(`${api(P)}/procurement/distributor-registrations`)
    .send({ ...body, ...(await solvedCaptcha(suite.http, P)) })
    .expect(status);
}

async function localLogin(account: string, password: string) {
  const agent = request.agent(suite.http);
  const res = await agent.post(`${api(P)}/procurement/sessions`).send({ method: 'password', account, password, ...(await solvedCaptcha(suite.http, P)) });
  return { agent, res };
}

async function hunanAdmin() {
  return signedInAdmin(suite, await createTestAdministrator(suite, P));
}

describe('配送企业注册登录', () => {
  it('HN-10: a distributor registers, is told at login that review is under way, the administrator approves, then it logs in and sees the distributor menus as its main account (N-6)', async () => {
    const { body } = await draft();
    const submitted = await register(body, 201);
    expect(submitted.body).toEqual({ registrationId: expect.any(String) as unknown, reference: expect.stringMatching(/^PS\d{8}-[2-9A-HJKMNP-Z]{6}$/) as unknown, status: 'pending', message: '提交成功，请耐心等待管理单位审核' });
    expect(JSON.stringify(submitted.body)).not.toContain(PASSWORD);

    // Only the right password hears of the review; a wrong one and an unknown name get the same answer.
    const waiting = (await localLogin(body.loginName, PASSWORD)).res;
    expect(waiting.status).toBe(403);
    expect(waiting.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_PENDING', message: '注册信息审核中，请耐心等待管理单位审核' });
    const wrong = (await localLogin(body.loginName, 'Wrong#Pass99')).res;
    const unknown = (await localLogin(`${body.loginName}zz`, 'Wrong#Pass99')).res;
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const admin = await hunanAdmin();
    const queue = (await admin.get(`${api(P)}/admin/distributor-registrations`).expect(200)).body as { registrations: Array<{ registrationId: string; loginName: string; status: string }> };
    const mine = queue.registrations.find((r) => r.loginName === body.loginName);
    expect(mine).toMatchObject({ registrationId: (submitted.body as { registrationId: string }).registrationId, status: 'pending', uscc: body.uscc, unitName: body.unitName });
    expect(JSON.stringify(queue)).not.toMatch(/password|\$argon2/i);
    const approved = await admin.post(`${api(P)}/admin/distributor-registrations/${mine?.registrationId ?? ''}/approval`).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedAt: expect.any(String) as unknown });
    expect((await admin.post(`${api(P)}/admin/distributor-registrations/${mine?.registrationId ?? ''}/approval`).expect(409)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_DECIDED' });

    const { agent, res } = await localLogin(body.loginName, PASSWORD);
    expect(res.status).toBe(201);
    expect((res.body as { actor: unknown }).actor).toMatchObject({ kind: 'distributor', account: body.loginName, name: body.unitName, unit: { uscc: body.uscc, name: body.unitName }, roleTypes: ['distributor'], isMainAccount: true, canTransact: true });
    const menus = (await agent.get(`${api(P)}/procurement/menus`).expect(200)).body as Array<{ id: string; items: Array<{ id: string; actions: Array<{ id: string }> }> }>;
    const items = menus.flatMap((m) => m.items.map((i) => i.id));
    expect(items).toEqual(expect.arrayContaining(['account-roles', 'accounts']));
    expect(items).not.toContain('product-matching');
    const home = await agent.get(`/${P}/procurement/`).set('Accept', 'text/html').expect(200);
    expect(home.text).toContain('data-menu-item="accounts"');
    expect(home.text).toContain('配送企业账号');
    // A distributor has no operators to hand roles to.
    expect((await agent.post(`${api(P)}/procurement/roles`).send({ name: '配送员', remark: '', permissions: {} }).expect(409)).body).toMatchObject({ code: 'DISTRIBUTOR_ROLES_NOT_NEEDED' });

    const trail = (await admin.get(`${api(P)}/admin/audit-events?kind=distributor.`).expect(200)).body as { events: Array<{ kind: string; account?: string }> };
    expect(trail.events.filter((e) => e.account === body.loginName).map((e) => e.kind).sort()).toEqual(['distributor.approved', 'distributor.registered']);
  });

  it('HN-10: a rejection’s reason reaches the registrant at login (after the password), who may then register again with the same credit code and name', async () => {
    const { body } = await draft();
    const { registrationId } = (await register(body, 201)).body as { registrationId: string };
    const admin = await hunanAdmin();
    expect((await admin.post(`${api(P)}/admin/distributor-registrations/${registrationId}/rejection`).send({ reason: ' ' }).expect(400)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_INVALID', fields: { reason: '请填写驳回原因' } });
    const rejected = await admin.post(`${api(P)}/admin/distributor-registrations/${registrationId}/rejection`).send({ reason: '营业执照名称与填写的企业名称不一致' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '营业执照名称与填写的企业名称不一致' });

    const told = (await localLogin(body.loginName, PASSWORD)).res;
    expect(told.status).toBe(403);
    expect(told.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_REJECTED', reason: '营业执照名称与填写的企业名称不一致', message: expect.stringContaining('审核未通过：营业执照名称与填写的企业名称不一致') as unknown });
    expect((await localLogin(body.loginName, 'Wrong#Pass99')).res.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const again = await register(body, 201);
    expect(again.body).toMatchObject({ status: 'pending' });
    expect((await localLogin(body.loginName, PASSWORD)).res.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_PENDING' });
    const trail = (await admin.get(`${api(P)}/admin/audit-events?kind=distributor.rejected`).expect(200)).body as { events: Array<{ account?: string }> };
    expect(trail.events.some((e) => e.account === body.loginName)).toBe(true);
  });

  it('HN-10: a second registration of a credit code waiting or approved, and a login name already held, are refused with their codes', async () => {
    const { body } = await draft();
    await register(body, 201);
    const twice = await register({ ...body, loginName: loginName() }, 409);
    expect(twice.body).toMatchObject({ code: 'DISTRIBUTOR_ALREADY_REGISTERED', status: 'pending', fields: { uscc: expect.stringContaining('等待管理单位审核') as unknown } });
    const other = await draft({ loginName: body.loginName.toUpperCase() });
    expect((await register(other.body, 409)).body).toMatchObject({ code: 'DISTRIBUTOR_LOGIN_NAME_TAKEN', fields: { loginName: '该登录账号已被使用' } });

    const admin = await hunanAdmin();
    const { registrations } = (await admin.get(`${api(P)}/admin/distributor-registrations?status=pending`).expect(200)).body as { registrations: Array<{ registrationId: string; uscc: string }> };
    await admin.post(`${api(P)}/admin/distributor-registrations/${registrations.find((r) => r.uscc === body.uscc)?.registrationId ?? ''}/approval`).expect(200);
    expect((await register({ ...body, loginName: loginName() }, 409)).body).toMatchObject({ code: 'DISTRIBUTOR_ALREADY_REGISTERED', status: 'approved' });
  });

  it('HN-10, N-4: bad fields get a Chinese message each; a code outside the national registry gets N-4’s refusal with the code-maintenance link; a registry entry that is no distributor is refused', async () => {
    const bad = await request(suite.http).post(`${api(P)}/procurement/distributor-registrations`).send({ unitName: '', uscc: '91430100MA4L000000', contactName: '', contactMobile: '123', loginName: '1abc', password: 'short', confirmPassword: 'other' }).expect(400);
    const fields = (bad.body as { code: string; fields: Record<string, string> }).fields;
    expect(bad.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_INVALID' });
    expect(Object.keys(fields).sort()).toEqual(['captcha', 'captchaId', 'confirmPassword', 'contactMobile', 'contactName', 'loginName', 'password', 'unitName', 'uscc']);
    for (const message of Object.values(fields)) expect(message).toMatch(/\p{Script=Han}/u);
    // Not JSON at all, or the wrong types: still 400, never 5xx.
    expect((await request(suite.http).post(`${api(P)}/procurement/distributor-registrations`).send([1, 2]).expect(400)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_INVALID' });
    expect((await request(suite.http).post(`${api(P)}/procurement/distributor-registrations`).send({ unitName: 1, uscc: {}, loginName: ['a'] }).expect(400)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_INVALID' });

    const { body } = await draft();
    const absent = await register({ ...body, uscc: freshUscc('430100') }, 422);
    expect(absent.body).toMatchObject({ code: 'UNIT_NOT_IN_NATIONAL_REGISTRY', fields: { uscc: expect.any(String) as unknown }, codeMaintenance: { url: expect.stringContaining('http') as unknown } });
    const manufacturer = await seedRegistryUnit(suite, P, { roleTypes: ['manufacturer'] });
    expect((await register({ ...body, uscc: manufacturer.uscc }, 422)).body).toMatchObject({ code: 'DISTRIBUTOR_ROLE_NOT_IN_REGISTRY', fields: { uscc: '国家编码库中该单位不是配送企业' } });
    const wrongCaptcha = await request(suite.http).post(`${api(P)}/procurement/distributor-registrations`).send({ ...body, captchaId: (await solvedCaptcha(suite.http, P)).captchaId, captcha: 'zzzz' });
    expect(wrongCaptcha.status).toBe(400);
    expect(wrongCaptcha.body).toMatchObject({ code: 'CAPTCHA_WRONG' });
  });

  it('HN-10: not offered where distributors register in the hall (Jilin): coded refusals, no 用户注册 link, no review queue', async () => {
    const res = await request(suite.http).post(`${api('jilin')}/procurement/distributor-registrations`).send({}).expect(404);
    expect(res.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_NOT_OFFERED' });
    expect((await request(suite.http).get('/jilin/procurement/register').set('Accept', 'text/html')).status).toBe(404);
    expect((await request(suite.http).get('/jilin/procurement/login').expect(200)).text).not.toContain('data-link="distributor-register"');
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'jilin'));
    expect((await admin.get(`${api('jilin')}/admin/distributor-registrations`).expect(404)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_NOT_OFFERED' });
    const overview = (await admin.get('/jilin/admin').expect(200)).text;
    expect(overview).not.toContain('href="/jilin/admin/distributor-registrations"');
  });

  it('HN-10: another province’s administrator neither sees nor decides Hunan’s registrations; nobody without a session does', async () => {
    const { body } = await draft();
    const { registrationId } = (await register(body, 201)).body as { registrationId: string };
    const jilin = await signedInAdmin(suite, await createTestAdministrator(suite, 'jilin'));
    for (const call of [
      jilin.get(`${api(P)}/admin/distributor-registrations?status=all`),
      jilin.post(`${api(P)}/admin/distributor-registrations/${registrationId}/approval`),
      jilin.post(`${api(P)}/admin/distributor-registrations/${registrationId}/rejection`).send({ reason: '冒名驳回' }),
      request(suite.http).get(`${api(P)}/admin/distributor-registrations`),
      request(suite.http).post(`${api(P)}/admin/distributor-registrations/${registrationId}/approval`),
    ]) {
      const res = await call;
      expect(res.status).toBe(401);
      expect(res.text).not.toContain(body.uscc);
      expect(res.text).not.toContain(body.loginName);
    }
    // The Jilin administrator on its own province's paths: Jilin has no such queue, and never Hunan's rows.
    expect((await jilin.post(`${api('jilin')}/admin/distributor-registrations/${registrationId}/approval`).expect(404)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_NOT_OFFERED' });
    const page = await jilin.get(`/${P}/admin/distributor-registrations`).set('Accept', 'text/html');
    expect(page.status).toBe(303);
    // Still waiting: nobody decided it.
    expect((await localLogin(body.loginName, PASSWORD)).res.body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_PENDING' });
    const hunan = await hunanAdmin();
    expect((await hunan.post(`${api(P)}/admin/distributor-registrations/00000000-0000-4000-8000-000000000000/approval`).expect(404)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_NOT_FOUND' });
    expect((await hunan.post(`${api(P)}/admin/distributor-registrations/not-a-uuid/rejection`).send({ reason: '无' }).expect(404)).body).toMatchObject({ code: 'DISTRIBUTOR_REGISTRATION_NOT_FOUND' });
  });

  it('HN-10: the pages without JavaScript — 用户注册 under the login form, the form with CSRF, captcha and per-field errors, 提交成功 with the reference, the administrator’s queue approving and rejecting, then the login page', async () => {
    const visitor = request.agent(suite.http);
    const loginPage = await openPage(visitor, `/${P}/procurement/login`);
    expect(loginPage.html).toContain(`href="/${P}/procurement/register"`);
    expect(loginPage.html).toContain('用户注册');

    const form = await openPage(visitor, `/${P}/procurement/register`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('企业信息');
    expect(form.html).toContain('账户信息');
    // Without the CSRF token the form is refused.
    expect((await visitor.post(`/${P}/procurement/register`).type('form').send('unitName=x').set('Accept', 'text/html')).status).toBe(403);

    const wrong = await postForm(visitor, `/${P}/procurement/register`, { _csrf: form.token, unitName: '', uscc: '123', contactName: '张三', contactMobile: '1', loginName: 'ab', password: 'x', confirmPassword: 'y', captchaId: 'none', captcha: 'x', action: 'register' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('请输入正确的 18 位统一社会信用代码');
    expect(wrong.html).toContain('请输入 11 位手机号');
    expect(wrong.html).toContain('aria-invalid="true"');
    expect(wrong.html).toContain('value="张三"');
    expect(wrong.html).not.toContain('value="x"');

    const { body } = await draft();
    const filled = await openPage(visitor, `/${P}/procurement/register`);
    const done = await postForm(visitor, `/${P}/procurement/register`, { _csrf: filled.token, ...body, ...(await pageCaptcha(suite.http, filled.html)), action: 'register' });
    expect(done.status).toBe(201);
    expect(done.html).toContain('提交成功，请耐心等待管理单位审核');
    expect(done.html).toMatch(/PS\d{8}-[2-9A-HJKMNP-Z]{6}/);

    const loginForm = await openPage(visitor, `/${P}/procurement/login`);
    const pending = await postForm(visitor, `/${P}/procurement/login`, { _csrf: loginForm.token, account: body.loginName, password: PASSWORD, ...(await pageCaptcha(suite.http, loginForm.html)), action: 'login' });
    expect(pending.status).toBe(403);
    expect(pending.html).toContain('注册信息审核中');

    const admin = await hunanAdmin();
    const overview = await admin.get(`/${P}/admin`).expect(200);
    expect(overview.text).toContain(`href="/${P}/admin/distributor-registrations"`);
    const queue = await openPage(admin, `/${P}/admin/distributor-registrations`);
    expect(queue.status).toBe(200);
    const registrationId = new RegExp(`data-registration="([0-9a-f-]{36})">\\s*<td>${body.unitName}`).exec(queue.html)?.[1] ?? '';
    expect(registrationId).not.toBe('');
    const noReason = await postForm(admin, `/${P}/admin/distributor-registrations/${registrationId}/rejection`, { _csrf: queue.token, reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('请填写驳回原因');
    const approved = await postForm(admin, `/${P}/admin/distributor-registrations/${registrationId}/approval`, { _csrf: queue.token });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain(`已通过“${body.unitName}”的注册`);

    const again = await openPage(visitor, `/${P}/procurement/login`);
    const signedIn = await postForm(visitor, `/${P}/procurement/login`, { _csrf: again.token, account: body.loginName, password: PASSWORD, ...(await pageCaptcha(suite.http, again.html)), action: 'login' });
    expect(signedIn.status).toBe(303);
    expect((await visitor.get(`/${P}/procurement/`).set('Accept', 'text/html').expect(200)).text).toContain(body.unitName);

    // A rejection from the queue page, seen on the login page.
    const second = await draft();
    await register(second.body, 201);
    const queue2 = await openPage(admin, `/${P}/admin/distributor-registrations`);
    const secondId = new RegExp(`data-registration="([0-9a-f-]{36})">\\s*<td>${second.body.unitName}`).exec(queue2.html)?.[1] ?? '';
    const rejected = await postForm(admin, `/${P}/admin/distributor-registrations/${secondId}/rejection`, { _csrf: queue2.token, reason: '联系人手机号无法接通' });
    expect(rejected.status).toBe(200);
    expect(rejected.html).toContain('联系人手机号无法接通');
    const loginAgain = await openPage(visitor, `/${P}/procurement/login`);
    const told = await postForm(visitor, `/${P}/procurement/login`, { _csrf: loginAgain.token, account: second.body.loginName, password: PASSWORD, ...(await pageCaptcha(suite.http, loginAgain.html)), action: 'login' });
    expect(told.status).toBe(403);
    expect(told.html).toContain('审核未通过：联系人手机号无法接通');
  });

  it('HN-11: an approved distributor’s SM2 certificate carrying its credit code is activated for its account at CA账号登录, then signs it in', async () => {
    const { body } = await draft();
    const { registrationId } = (await register(body, 201)).body as { registrationId: string };
    await (await hunanAdmin()).post(`${api(P)}/admin/distributor-registrations/${registrationId}/approval`).expect(200);
    const client = testClient(authority, { unitName: body.unitName, uscc: body.uscc });

    const offered = await request(suite.http).post(`${api(P)}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, client)) }).expect(409);
    expect(offered.body).toMatchObject({ code: 'CA_ACTIVATION_REQUIRED', activation: { account: { kind: 'distributor', login: body.loginName, name: body.unitName, unit: { uscc: body.uscc } } } });
    const { ticket } = (offered.body as { activation: { ticket: string } }).activation;
    const activated = await request(suite.http).post(`${api(P)}/procurement/sessions`).send({ method: 'ca', activationTicket: ticket }).expect(201);
    expect((activated.body as { actor: unknown }).actor).toMatchObject({ kind: 'distributor', account: body.loginName, method: 'ca' });

    const agent = request.agent(suite.http);
    const again = await agent.post(`${api(P)}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, client)) }).expect(201);
    expect((again.body as { actor: unknown }).actor).toMatchObject({ kind: 'distributor', account: body.loginName });
    // 账号管理 → CA绑定 shows the distributor's own account with the certificate (HN-11 way 2's page).
    const bindings = (await agent.get(`${api(P)}/procurement/ca-bindings`).expect(200)).body as { accounts: Array<{ kind: string; self: boolean; binding?: { serial: string } }> };
    expect(bindings.accounts).toEqual([expect.objectContaining({ kind: 'distributor', self: true, binding: expect.objectContaining({ serial: client.certificate.parsed.serial }) as unknown })]);
  });
});
