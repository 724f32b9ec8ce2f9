/**
 * Province administrators (issue 8, item 7): sign-in at /api/v1/provinces/{id}/admin/session and
 * /{id}/admin, the shared lockout, session rotation and logout, the read views of their own
 * province, and isolation — an administrator of one province reaches nothing of another.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { registeredUnit, signedIn, solvedCaptcha } from '#test/support/hall-journey.js';
import { adminSignIn, cookieValue, createTestAdministrator, setCookieHeader, signedInAdmin, type TestAdministrator } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

let jilinAdmin: TestAdministrator;
let hunanAdmin: TestAdministrator;

beforeAll(async () => {
  jilinAdmin = await createTestAdministrator(suite, 'jilin', { displayName: '吉林管理员' });
  hunanAdmin = await createTestAdministrator(suite, 'hunan');
});

const db = () => suite.testApp.app.get(DataSource);

async function auditKinds(province: string, actorId: string): Promise<string[]> {
  const rows = await db().query<Array<{ kind: string }>>(`SELECT kind FROM audit_events WHERE province_id = $1 AND actor_id = $2 ORDER BY id`, [province, actorId]);
  return rows.map((r) => r.kind);
}

interface Page {
  status: number;
  html: string;
  token: string;
  location?: string | undefined;
}

function pageOf(res: request.Response): Page {
  return { status: res.status, html: res.text, token: /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '', location: res.headers.location };
}

async function open(agent: request.Agent, path: string): Promise<Page> {
  return pageOf(await agent.get(path).set('Accept', 'text/html'));
}

async function captchaOf(html: string): Promise<{ captchaId: string; captcha: string }> {
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const dev = await request(suite.http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200);
  return { captchaId, captcha: (dev.body as { answer: string }).answer };
}

describe('province administrator sign-in (API)', () => {
  it('signs in with account, password and captcha: 201, an httpOnly SameSite=Lax pe_admin_jilin cookie, the session names them, admin.session.opened is audited', async () => {
    const agent = request.agent(suite.http);
    const res = await adminSignIn(agent, suite.http, 'jilin', jilinAdmin.account.toUpperCase(), jilinAdmin.password);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ administrator: { id: jilinAdmin.id, account: jilinAdmin.account, displayName: '吉林管理员', province: { id: 'jilin', name: '吉林省' } } });
    expect(setCookieHeader(res, 'pe_admin_jilin')).toMatch(/HttpOnly/i);
    expect(setCookieHeader(res, 'pe_admin_jilin')).toMatch(/SameSite=Lax/i);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await agent.get('/api/v1/provinces/jilin/admin/session').expect(200)).body).toMatchObject({ administrator: { id: jilinAdmin.id } });
    expect(await auditKinds('jilin', jilinAdmin.id)).toContain('admin.session.opened');
  });

  it('a wrong password and an unknown account get the same status, code and message; both are audited as admin.session.failed', async () => {
    const wrong = await adminSignIn(request(suite.http), suite.http, 'jilin', jilinAdmin.account, 'Wrong#2025x');
    const unknown = await adminSignIn(request(suite.http), suite.http, 'jilin', 'nobody-here', 'Wrong#2025x');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toEqual({ code: 'ADMIN_INVALID_CREDENTIALS', message: '管理员账号或密码错误', fields: { password: '管理员账号或密码错误' } });
    const rows = await db().query<Array<{ account: string; detail: { reason: string } }>>(`SELECT account, detail FROM audit_events WHERE province_id = 'jilin' AND kind = 'admin.session.failed' ORDER BY id`);
    expect(rows.map((r) => [r.account, r.detail.reason])).toEqual(expect.arrayContaining([[jilinAdmin.account, 'wrong-password'], ['nobody-here', 'unknown-account']]));
  });

  it('refuses a missing captcha or field before looking at the account (400, by field)', async () => {
    const res = await request(suite.http).post('/api/v1/provinces/jilin/admin/session').send({ account: jilinAdmin.account, password: '' }).expect(400);
    expect(res.body).toMatchObject({ code: 'LOGIN_INVALID', fields: { password: '请输入密码', captchaId: '请先获取图形验证码', captcha: '请输入图形验证码' } });
  });

  it('locks the account after the lockout threshold (30 failures): 429 with Retry-After, even for the right password', async () => {
    const locked = await createTestAdministrator(suite, 'anhui');
    for (let i = 1; i < 30; i += 1) expect((await adminSignIn(request(suite.http), suite.http, 'anhui', locked.account, `Wrong#${i}aa`)).status).toBe(401);
    const thirtieth = await adminSignIn(request(suite.http), suite.http, 'anhui', locked.account, 'Wrong#30aa');
    expect(thirtieth.status).toBe(429);
    expect(thirtieth.body).toMatchObject({ code: 'LOGIN_LOCKED' });
    expect(Number(thirtieth.headers['retry-after'])).toBeGreaterThan(0);
    const right = await adminSignIn(request(suite.http), suite.http, 'anhui', locked.account, locked.password);
    expect(right.status).toBe(429);
    expect(await auditKinds('anhui', locked.id)).toContain('login.locked');
  }, 120_000);

  it('rotates the session id at sign-in: the cookie held before no longer opens anything', async () => {
    const agent = request.agent(suite.http);
    const first = cookieValue(await adminSignIn(agent, suite.http, 'jilin', jilinAdmin.account, jilinAdmin.password), 'pe_admin_jilin');
    const second = cookieValue(await adminSignIn(agent, suite.http, 'jilin', jilinAdmin.account, jilinAdmin.password), 'pe_admin_jilin');
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(second).toMatch(/^[\w-]{43}$/);
    expect(second).not.toBe(first);
    await request(suite.http).get('/api/v1/provinces/jilin/admin/session').set('Cookie', `pe_admin_jilin=${first ?? ''}`).expect(401);
    await request(suite.http).get('/api/v1/provinces/jilin/admin/session').set('Cookie', `pe_admin_jilin=${second ?? ''}`).expect(200);
  });

  it('logout ends the session (204) and is audited; the cookie no longer works', async () => {
    const agent = await signedInAdmin(suite, jilinAdmin);
    await agent.delete('/api/v1/provinces/jilin/admin/session').expect(204);
    await agent.get('/api/v1/provinces/jilin/admin/session').expect(401);
    await agent.delete('/api/v1/provinces/jilin/admin/session').expect(401);
    expect(await auditKinds('jilin', jilinAdmin.id)).toContain('session.closed');
  });

  it('a disabled administrator’s session stops working, and signing in again is refused', async () => {
    const gone = await createTestAdministrator(suite, 'xizang', { password: 'Xizang#2025' });
    const agent = await signedInAdmin(suite, gone);
    await db().query(`UPDATE province_administrators SET status = 'disabled' WHERE id = $1`, [gone.id]);
    await agent.get('/api/v1/provinces/xizang/admin/units').expect(401);
    const again = await adminSignIn(request(suite.http), suite.http, 'xizang', gone.account, gone.password);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'ADMIN_ACCOUNT_DISABLED' });
  });
});

describe('isolation between provinces', () => {
  const apiRoutes = (unitId: string): Array<[string, string]> => [
    ['get', '/admin/session'],
    ['delete', '/admin/session'],
    ['get', '/admin/overview'],
    ['get', '/admin/units'],
    ['get', `/admin/units/${unitId}`],
    ['get', '/admin/operators'],
    ['get', '/admin/certifications'],
    ['get', '/admin/audit-events'],
    ['get', '/admin/audit-events.csv'],
  ];
  const pageRoutes = (unitId: string) => ['/admin/units', `/admin/units/${unitId}`, '/admin/operators', '/admin/certifications', '/admin/audit'];

  it('a jilin administrator’s session opens no hunan route: API 401, pages 303 to hunan’s sign-in form — also with the cookie renamed to hunan’s; a hall session is no admin session', async () => {
    const hunanUnit = await registeredUnit(suite, 'hunan');
    const agent = request.agent(suite.http);
    const value = cookieValue(await adminSignIn(agent, suite.http, 'jilin', jilinAdmin.account, jilinAdmin.password), 'pe_admin_jilin') ?? '';
    expect(value).toMatch(/^[\w-]{43}$/);
    const hall = await signedIn(suite, 'hunan', hunanUnit.account, hunanUnit.password);
    for (const [method, path] of apiRoutes(hunanUnit.unitId)) {
      const url = `/api/v1/provinces/hunan${path}`;
      for (const res of [
        await agent[method as 'get'](url),
        await request(suite.http)[method as 'get'](url).set('Cookie', `pe_admin_hunan=${value}`),
        await hall[method as 'get'](url),
      ]) {
        expect([url, res.status]).toEqual([url, 401]);
        expect(res.body).toMatchObject({ code: 'SESSION_REQUIRED' });
        expect(res.text).not.toContain(hunanUnit.uscc);
      }
    }
    for (const path of pageRoutes(hunanUnit.unitId)) {
      const page = await open(agent, `/hunan${path}`);
      expect([path, page.status]).toEqual([path, 303]);
      expect(page.location).toBe(`/hunan/admin?next=${encodeURIComponent(`/hunan${path}`)}`);
    }
    // /hunan/admin itself is the sign-in form for them, not hunan's overview.
    const entry = await open(agent, '/hunan/admin');
    expect(entry.status).toBe(200);
    expect(entry.html).toContain('data-form="admin-sign-in"');
    expect(entry.html).not.toContain('data-admin-bar');
  });

  it('a hunan administrator sees hunan’s units, operators and certifications only: a jilin unit is 404 by id, absent from lists and filters', async () => {
    const hunanUnit = await registeredUnit(suite, 'hunan');
    const jilinUnit = await registeredUnit(suite, 'jilin');
    await (await signedIn(suite, 'jilin', jilinUnit.account, jilinUnit.password)).post('/api/v1/provinces/jilin/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const agent = await signedInAdmin(suite, hunanAdmin);
    expect((await agent.get(`/api/v1/provinces/hunan/admin/units/${jilinUnit.unitId}`).expect(404)).body).toMatchObject({ code: 'ADMIN_UNIT_NOT_FOUND' });
    await agent.get(`/api/v1/provinces/hunan/admin/units/${hunanUnit.unitId}`).expect(200);
    await agent.get(`/api/v1/provinces/jilin/admin/units/${jilinUnit.unitId}`).expect(401);
    for (const path of ['units', 'operators', 'certifications']) {
      const all = await agent.get(`/api/v1/provinces/hunan/admin/${path}`).expect(200);
      expect(all.text).not.toContain(jilinUnit.uscc);
      const filtered = await agent.get(`/api/v1/provinces/hunan/admin/${path}?q=${jilinUnit.uscc}`).expect(200);
      expect(filtered.body).toMatchObject({ items: [], total: 0 });
    }
    const page = await open(agent, `/hunan/admin/units/${jilinUnit.unitId}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain(jilinUnit.uscc);
  });
});

describe('read views of the own province', () => {
  it('units: newest first, 20 a page, filtered by name, credit code or account; with certified role types', async () => {
    const certified = await registeredUnit(suite, 'neimenggu');
    const agentUnit = await signedIn(suite, 'neimenggu', certified.account, certified.password);
    await agentUnit.post('/api/v1/provinces/neimenggu/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    // Two pages' worth of units straight into the table: paging is about rows, not about registration.
    for (let i = 0; i < 22; i += 1) {
      clock.advanceSeconds(1);
      await db().query(
        `INSERT INTO units (id, province_id, uscc, name, details, account_name, password_hash, recovery_phone, status, registered_at, password_changed_at)
         VALUES (gen_random_uuid(), 'neimenggu', $1, $2, '{}', $3, 'x', '13800138000', 'active', $4, $4)`,
        [`91150100MA0BULK${String(i).padStart(3, '0')}`, `批量单位${i}`, `bulk${i}`, clock.now()],
      );
    }
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'neimenggu'));
    const first = (await admin.get('/api/v1/provinces/neimenggu/admin/units').expect(200)).body as { items: Array<{ name: string; uscc: string; certifiedRoleTypes: unknown[] }>; total: number; pages: number; pageSize: number };
    expect(first).toMatchObject({ total: 23, pages: 2, pageSize: 20 });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]?.name).toBe('批量单位21');
    const second = (await admin.get('/api/v1/provinces/neimenggu/admin/units?page=2').expect(200)).body as typeof first;
    expect(second.items.map((u) => u.uscc)).toContain(certified.uscc);
    expect(second.items.find((u) => u.uscc === certified.uscc)?.certifiedRoleTypes).toEqual([{ id: 'manufacturer', name: expect.any(String) as unknown }]);
    const byName = (await admin.get(`/api/v1/provinces/neimenggu/admin/units?q=${encodeURIComponent('批量单位1')}`).expect(200)).body as typeof first;
    expect(byName.items.map((u) => u.name).sort()).toEqual(['批量单位1', ...Array.from({ length: 10 }, (_, i) => `批量单位1${i}`)].sort());
    const byCode = (await admin.get(`/api/v1/provinces/neimenggu/admin/units?q=${certified.uscc.slice(0, 12).toLowerCase()}`).expect(200)).body as typeof first;
    expect(byCode.items.map((u) => u.uscc)).toContain(certified.uscc);
    const byAccount = (await admin.get(`/api/v1/provinces/neimenggu/admin/units?q=${certified.account.toUpperCase()}`).expect(200)).body as typeof first;
    expect(byAccount.items.map((u) => u.uscc)).toEqual([certified.uscc]);
    expect((await admin.get('/api/v1/provinces/neimenggu/admin/units?page=0').expect(400)).body).toMatchObject({ code: 'ADMIN_FILTER_INVALID', fields: { page: expect.any(String) as unknown } });
  });

  it('operators: masked mobile, found by the full number; a unit’s page lists its operators and certifications', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const agent = await signedInAdmin(suite, jilinAdmin);
    const masked = `${unit.mobile.slice(0, 3)}****${unit.mobile.slice(-4)}`;
    const found = await agent.get(`/api/v1/provinces/jilin/admin/operators?q=${unit.mobile}`).expect(200);
    expect(found.body).toMatchObject({ total: 1, items: [{ name: unit.operator.name, mobile: masked, unit: { id: unit.unitId, uscc: unit.uscc }, unboundAt: null }] });
    expect(found.text).not.toContain(unit.mobile);
    const detail = await agent.get(`/api/v1/provinces/jilin/admin/units/${unit.unitId}`).expect(200);
    expect(detail.body).toMatchObject({ id: unit.unitId, uscc: unit.uscc, accountName: unit.account, status: 'active', operators: [{ mobile: masked }], certifications: [] });
    expect(detail.text).not.toContain(unit.mobile);
    const page = await open(agent, `/jilin/admin/units/${unit.unitId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(masked);
    expect(page.html).not.toContain(unit.mobile);
  });

  it('certifications: who certified which role, filtered by role type', async () => {
    const unit = await registeredUnit(suite, 'anhui');
    await (await signedIn(suite, 'anhui', unit.account, unit.password)).post('/api/v1/provinces/anhui/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    const agent = await signedInAdmin(suite, await createTestAdministrator(suite, 'anhui'));
    const res = await agent.get(`/api/v1/provinces/anhui/admin/certifications?q=${unit.uscc}&roleType=manufacturer`).expect(200);
    expect(res.body).toMatchObject({ total: 1, items: [{ unit: { uscc: unit.uscc }, roleType: { id: 'manufacturer' }, certifiedBy: { kind: 'unit', account: unit.account } }] });
    expect((await agent.get('/api/v1/provinces/anhui/admin/certifications?roleType=wizard').expect(400)).body).toMatchObject({ code: 'ADMIN_FILTER_INVALID', fields: { roleType: expect.any(String) as unknown } });
  });
});

describe('administrators’ pages', () => {
  it('without a session /{id}/admin is the sign-in form and /{id}/admin/… sends there; signing in through the form (CSRF token, captcha) returns to the page asked for', async () => {
    const agent = request.agent(suite.http);
    const away = await open(agent, '/jilin/admin/operators?state=bound');
    expect(away.status).toBe(303);
    expect(away.location).toBe(`/jilin/admin?next=${encodeURIComponent('/jilin/admin/operators?state=bound')}`);
    const form = await open(agent, away.location ?? '');
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="next" value="/jilin/admin/operators?state&#x3D;bound"');
    expect(form.token).not.toBe('');
    const fields = { _csrf: form.token, next: '/jilin/admin/operators?state=bound', account: jilinAdmin.account, password: 'Wrong#2025x', action: 'login', ...(await captchaOf(form.html)) };
    const wrong = pageOf(await agent.post('/jilin/admin/login').set('Accept', 'text/html').type('form').send(new URLSearchParams(fields).toString()));
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('管理员账号或密码错误');
    const right = pageOf(await agent.post('/jilin/admin/login').set('Accept', 'text/html').type('form').send(new URLSearchParams({ ...fields, _csrf: wrong.token, password: jilinAdmin.password, ...(await captchaOf(wrong.html)) }).toString()));
    expect(right.status).toBe(303);
    expect(right.location).toBe('/jilin/admin/operators?state=bound');
    const list = await open(agent, right.location ?? '');
    expect(list.status).toBe(200);
    expect(list.html).toContain('data-admin-bar');
    expect(list.html).toContain('data-table="operators"');
  });

  it('a form post without the CSRF token is refused; next never leaves the province’s administration', async () => {
    const agent = request.agent(suite.http);
    const form = await open(agent, `/jilin/admin?next=${encodeURIComponent('//evil.example/x')}`);
    expect(form.html).not.toContain('name="next"');
    const hallNext = await open(agent, `/jilin/admin?next=${encodeURIComponent('/jilin/hall')}`);
    expect(hallNext.html).not.toContain('name="next"');
    const noToken = await agent.post('/jilin/admin/login').type('form').send(new URLSearchParams({ account: jilinAdmin.account, password: jilinAdmin.password, ...(await solvedCaptcha(suite.http, 'jilin')) }).toString());
    expect(noToken.status).toBe(403);
  });

  it('every signed-in page is branded, Chinese, without inline script or style, and every POST form carries the CSRF token; 退出登录 ends the session', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const agent = await signedInAdmin(suite, jilinAdmin);
    for (const path of ['/jilin/admin', '/jilin/admin/units', `/jilin/admin/units/${unit.unitId}`, '/jilin/admin/operators', '/jilin/admin/certifications', '/jilin/admin/audit']) {
      const res = await agent.get(path).set('Accept', 'text/html');
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toContain('province-jilin');
      expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(res.text).not.toMatch(/\sstyle="/);
      expect(String(res.headers['content-security-policy'])).not.toContain('unsafe-inline');
      for (const post of res.text.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) ?? []) expect(post).toMatch(/name="_csrf" value="[^"]+"/);
    }
    const overview = await open(agent, '/jilin/admin');
    expect(overview.html).toContain('data-queue="distributor-registrations"');
    const out = await agent.post('/jilin/admin/logout').set('Accept', 'text/html').type('form').send(new URLSearchParams({ _csrf: overview.token }).toString());
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/jilin/admin');
    expect((await open(agent, '/jilin/admin/units')).status).toBe(303);
  });
});
