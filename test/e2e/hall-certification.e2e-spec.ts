import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { login, register, registrationDraft, seedRegistryUnit, type RegistrationDraft } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

interface Overview {
  unit: { id: string; uscc: string };
  certifiedRoleTypes: Array<{ id: string; name: string }>;
  certifiableRoleTypes: Array<{ id: string; name: string }>;
  mustCertify: boolean;
  canCertify: boolean;
}

const str = (value: string | undefined): string => value ?? '';

async function registered(province: string, roleTypes: string[]): Promise<RegistrationDraft & { unitId: string }> {
  const entry = await seedRegistryUnit(suite, province, { roleTypes });
  const draft = registrationDraft(entry.uscc);
  const res = await register(suite.http, province, draft);
  expect(res.status).toBe(201);
  return { ...draft, unitId: (res.body as { unit: { id: string } }).unit.id };
}

async function signedIn(province: string, account: string, password: string): Promise<request.Agent> {
  const agent = request.agent(suite.http);
  expect((await login(agent, suite.http, province, account, password)).status).toBe(201);
  return agent;
}

const hall = (agent: request.Agent, province: string) => agent.get(`/api/v1/provinces/${province}/hall`);
const certify = (agent: request.Agent, province: string, roleType: string) => agent.post(`/api/v1/provinces/${province}/hall/certifications`).send({ roleType });

describe('角色认证', () => {
  it('N-5, XZ-6: a Tibetan hospital must certify on first entry, picks 医院 under Tibet’s name, and is then certified', async () => {
    const unit = await registered('xizang', ['medical-institution']);
    const agent = await signedIn('xizang', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const before = (await hall(agent, 'xizang').expect(200)).body as Overview;
    expect(before).toMatchObject({ unit: { id: unit.unitId }, mustCertify: true, canCertify: true, certifiedRoleTypes: [], certifiableRoleTypes: [{ id: 'medical-institution', name: '医院' }] });
    const after = (await certify(agent, 'xizang', 'medical-institution').expect(201)).body as Overview;
    expect(after).toMatchObject({ mustCertify: false, certifiedRoleTypes: [{ id: 'medical-institution', name: '医院' }], certifiableRoleTypes: [] });
  });

  it('XZ-2: Tibet offers no pharmacy role, even to a unit the registry lists as one', async () => {
    const unit = await registered('xizang', ['pharmacy']);
    const agent = await signedIn('xizang', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(((await hall(agent, 'xizang').expect(200)).body as Overview).certifiableRoleTypes).toEqual([]);
    const res = await certify(agent, 'xizang', 'pharmacy').expect(400);
    expect(res.body).toMatchObject({ code: 'ROLE_TYPE_NOT_OFFERED', roleTypes: ['manufacturer', 'distributor', 'medical-institution'] });
  });

  it('HN-7: Hunan names the pharmacy role 协议药店; HN-10: its distributors do not certify in the hall', async () => {
    const unit = await registered('hunan', ['pharmacy', 'distributor']);
    const agent = await signedIn('hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(((await hall(agent, 'hunan').expect(200)).body as Overview).certifiableRoleTypes).toEqual([{ id: 'pharmacy', name: '协议药店' }]);
    await certify(agent, 'hunan', 'distributor').expect(400);
    expect(((await certify(agent, 'hunan', 'pharmacy').expect(201)).body as Overview).certifiedRoleTypes).toEqual([{ id: 'pharmacy', name: '协议药店', certifiedAt: expect.any(String) as unknown }]);
  });

  it('N-3, N-4: only a role type the unit’s national registry entry supports', async () => {
    const unit = await registered('anhui', ['manufacturer']);
    const agent = await signedIn('anhui', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const res = await certify(agent, 'anhui', 'medical-institution').expect(422);
    expect(res.body).toMatchObject({ code: 'ROLE_TYPE_NOT_IN_REGISTRY', codeMaintenance: { url: 'https://code.nhsa.gov.cn' } });
  });

  it('AH-4: certified roles need nothing: a second certification is refused', async () => {
    const unit = await registered('anhui', ['manufacturer', 'distributor']);
    const agent = await signedIn('anhui', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    await certify(agent, 'anhui', 'manufacturer').expect(201);
    const again = await certify(agent, 'anhui', 'distributor').expect(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_CERTIFIED', message: '已认证为“生产/代理企业”，无需再次认证' });
    expect(((await hall(agent, 'anhui').expect(200)).body as Overview).mustCertify).toBe(false);
  });

  it('HN-9: in Hunan only the main account certifies; the operator sees the unit uncertified and cannot', async () => {
    const unit = await registered('hunan', ['medical-institution']);
    const operator = await signedIn('hunan', str(unit.operator.mobile), str(unit.operator.password));
    expect((await hall(operator, 'hunan').expect(200)).body).toMatchObject({ mustCertify: true, canCertify: false, certifiableRoleTypes: [] });
    const refused = await certify(operator, 'hunan', 'medical-institution').expect(403);
    expect(refused.body).toMatchObject({ code: 'CERTIFIER_NOT_ALLOWED', message: expect.stringContaining('主账户') as unknown });
    const main = await signedIn('hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    await certify(main, 'hunan', 'medical-institution').expect(201);
    expect(((await hall(operator, 'hunan').expect(200)).body as Overview).mustCertify).toBe(false);
  });

  it('JL-5, JL-12: in Jilin the main account and each operator certify, each once, with the unit’s one role type', async () => {
    const unit = await registered('jilin', ['manufacturer', 'distributor']);
    const main = await signedIn('jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    await certify(main, 'jilin', 'manufacturer').expect(201);
    const operator = await signedIn('jilin', str(unit.operator.mobile), str(unit.operator.password));
    expect((await hall(operator, 'jilin').expect(200)).body).toMatchObject({ mustCertify: true, canCertify: true, certifiedRoleTypes: [{ id: 'manufacturer' }] });
    const other = await certify(operator, 'jilin', 'distributor').expect(400);
    expect(other.body).toMatchObject({ code: 'CERTIFICATION_INVALID', fields: { roleType: '须与本单位已认证的角色类型一致' } });
    await certify(operator, 'jilin', 'manufacturer').expect(201);
    await certify(operator, 'jilin', 'manufacturer').expect(409);
    expect(((await hall(operator, 'jilin').expect(200)).body as Overview).mustCertify).toBe(false);
  });

  it('an operator who has not chosen a unit yet (AH-3) gets HALL_UNIT_NOT_CHOSEN', async () => {
    const unit = await registered('anhui', ['manufacturer']);
    const operator = await signedIn('anhui', str(unit.operator.mobile), str(unit.operator.password));
    expect((await hall(operator, 'anhui').expect(409)).body).toMatchObject({ code: 'HALL_UNIT_NOT_CHOSEN' });
  });

  it('isolation: no session, or a session of another province, sees nothing of the hall', async () => {
    const unit = await registered('jilin', ['manufacturer']);
    await request(suite.http).get('/api/v1/provinces/jilin/hall').expect(401);
    await request(suite.http).post('/api/v1/provinces/jilin/hall/certifications').send({ roleType: 'manufacturer' }).expect(401);
    const agent = await signedIn('jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const cookie = await agent.get('/api/v1/provinces/jilin/hall').expect(200);
    expect(cookie.body).toMatchObject({ unit: { id: unit.unitId } });
    await agent.get('/api/v1/provinces/hunan/hall').expect(401);
    await agent.post('/api/v1/provinces/hunan/hall/certifications').send({ roleType: 'manufacturer' }).expect(401);
  });
});

describe('角色认证 page', () => {
  const page = async (agent: request.Agent, path: string) => {
    const res = await agent.get(path).set('accept', 'text/html');
    return { status: res.status, html: res.text, token: /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '', location: res.headers.location };
  };

  it('XZ-6: the page offers 医院, 去认证 certifies, and the page then shows it with 返回服务大厅', async () => {
    const unit = await registered('xizang', ['medical-institution']);
    const agent = await signedIn('xizang', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const hallPage = await page(agent, '/xizang/hall');
    expect(hallPage.html).toContain('href="/xizang/certify"');
    const form = await page(agent, '/xizang/certify');
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<input type="radio" id="role-medical-institution" name="roleType" value="medical-institution" required>\s*<label for="role-medical-institution"><span class="choice-label">医院<\/span>/);
    const empty = await agent.post('/xizang/certify').set('accept', 'text/html').type('form').send(new URLSearchParams({ _csrf: form.token }).toString());
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请选择角色类型');
    const done = await agent.post('/xizang/certify').set('accept', 'text/html').type('form').send(new URLSearchParams({ _csrf: form.token, roleType: 'medical-institution' }).toString());
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/xizang/certify');
    const after = await page(agent, '/xizang/certify');
    expect(after.html).toContain('<span class="badge">医院</span>');
    expect(after.html).not.toContain('name="roleType"');
    expect(after.html).toMatch(/<a class="button secondary" href="\/xizang\/hall" data-link="back-to-hall">返回服务大厅<\/a>/);
  });

  it('HN-9: a Hunan operator sees why the main account must certify, and no form', async () => {
    const unit = await registered('hunan', ['medical-institution']);
    const operator = await signedIn('hunan', str(unit.operator.mobile), str(unit.operator.password));
    const form = await page(operator, '/hunan/certify');
    expect(form.html).toContain('机构登录时须使用主账户登录');
    expect(form.html).not.toContain('name="roleType"');
  });

  it('without a session the page sends the visitor to log in and back', async () => {
    const res = await page(request.agent(suite.http), '/jilin/certify');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/jilin/login?next=%2Fjilin%2Fcertify');
  });
});
