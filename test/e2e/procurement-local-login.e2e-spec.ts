/**
 * The procurement subsystem's own login page (`…/procurement/sessions` with a password): branch
 * sub-accounts made by the main hospital's account (AH-6, JL-15's 添加机构子账号) and the military,
 * veterans' and prison institutions whose accounts the province administrator makes (AH-7); never the hall.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { freshMobile, login, registeredUnit, seedRegistryUnit, signedIn, solvedCaptcha } from '#test/support/hall-journey.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;
let institutionSeq = 0;
const code = (prefix: string) => `${prefix}${String(process.pid % 1000).padStart(3, '0')}${String((institutionSeq += 1)).padStart(4, '0')}`;

/** A main hospital with a branch under the same credit code, registered, certified and entered in procurement. */
async function mainHospital(province = 'anhui') {
  const main = code('H3401');
  const branch = code('H3402');
  const unit = await registeredUnit(suite, province, {
    roleTypes: ['medical-institution'],
    institutions: [
      { code: main, name: '示例总院', kind: 'main' },
      { code: branch, name: '示例总院东区分院', kind: 'branch' },
    ],
  });
  const hall = await signedIn(suite, province, unit.account, unit.password);
  await hall.post(`${api(province)}/hall/certifications`).send({ roleType: 'medical-institution' }).expect(201);
  const { ticket } = (await hall.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const tps = request.agent(suite.http);
  await tps.post(`${api(province)}/procurement/sessions`).send({ ticket }).expect(201);
  return { unit, hall, tps, branch };
}

const subAccount = (institutionCode: string, overrides: Record<string, string> = {}) => ({
  institutionCode,
  loginName: `branch${String(institutionSeq)}x${String(process.pid % 1000)}`,
  password: 'Fenyuan#2025',
  confirmPassword: 'Fenyuan#2025',
  contactName: '王五',
  contactPhone: freshMobile(),
  ...overrides,
});

async function localLogin(province: string, account: string, password: string) {
  const agent = request.agent(suite.http);
  const res = await agent.post(`${api(province)}/procurement/sessions`).send({ method: 'password', account, password, ...(await solvedCaptcha(suite.http, province)) });
  return { agent, res };
}

describe('招采子系统自有登录', () => {
  it('AH-6: the main hospital’s account makes a sub-account for its same-code branch, which logs in at the procurement login page', async () => {
    const { tps, branch } = await mainHospital();
    const listed = (await tps.get(`${api('anhui')}/procurement/sub-accounts`).expect(200)).body as { branches: Array<{ code: string }>; accounts: unknown[] };
    expect(listed).toEqual({ branches: [{ code: branch, name: '示例总院东区分院', kind: 'branch' }], accounts: [] });
    const body = subAccount(branch);
    const made = await tps.post(`${api('anhui')}/procurement/sub-accounts`).send(body).expect(201);
    expect(made.body).toMatchObject({ loginName: body.loginName, name: '示例总院东区分院', institutionCode: branch, institutionKind: 'branch', status: 'active' });
    expect(JSON.stringify(made.body)).not.toContain(body.password);

    const { agent, res } = await localLogin('anhui', body.loginName, body.password);
    expect(res.status).toBe(201);
    expect((res.body as { actor: unknown }).actor).toMatchObject({ kind: 'branch', account: body.loginName, name: '示例总院东区分院', isMainAccount: false, roleTypes: ['medical-institution'] });
    await agent.get(`${api('anhui')}/procurement/session`).expect(200);
    // Never through the hall (AH-6).
    expect((await login(request.agent(suite.http), suite.http, 'anhui', body.loginName, body.password)).status).toBe(401);
  });

  it('AH-6: a wrong password and an unknown name get the same answer; a hall account cannot use the procurement login page', async () => {
    const { tps, branch, unit } = await mainHospital();
    const body = subAccount(branch);
    await tps.post(`${api('anhui')}/procurement/sub-accounts`).send(body).expect(201);
    const wrong = (await localLogin('anhui', body.loginName, 'Wrong#Pass99')).res;
    const unknown = (await localLogin('anhui', `${body.loginName}zz`, 'Wrong#Pass99')).res;
    const hallAccount = (await localLogin('anhui', unit.account, unit.password)).res;
    for (const res of [wrong, unknown, hallAccount]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(wrong.body);
    }
  });

  it('AH-6, JL-15: 添加机构子账号 checks every required field, one account per branch and per name', async () => {
    const { tps, branch } = await mainHospital();
    const bad = await tps.post(`${api('anhui')}/procurement/sub-accounts`).send({ institutionCode: 'H000', loginName: '1x', password: 'short', confirmPassword: 'other', contactName: '', contactPhone: '123' }).expect(400);
    expect(Object.keys((bad.body as { fields: Record<string, string> }).fields).sort()).toEqual(['confirmPassword', 'contactName', 'contactPhone', 'institutionCode', 'loginName', 'password']);
    const body = subAccount(branch);
    await tps.post(`${api('anhui')}/procurement/sub-accounts`).send(body).expect(201);
    expect((await tps.post(`${api('anhui')}/procurement/sub-accounts`).send(subAccount(branch)).expect(409)).body).toMatchObject({ code: 'SUB_ACCOUNT_TAKEN' });
  });

  it('AH-6: only the main account makes sub-accounts, and only where the province has them', async () => {
    const { unit } = await mainHospital();
    const operator = await signedIn(suite, 'anhui', unit.mobile, unit.operatorPassword);
    await operator.put(`${api('anhui')}/session/unit`).send({ unitId: unit.unitId }).expect(200);
    const { ticket } = (await operator.post(`${api('anhui')}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
    const tps = request.agent(suite.http);
    await tps.post(`${api('anhui')}/procurement/sessions`).send({ ticket }).expect(201);
    expect((await tps.get(`${api('anhui')}/procurement/sub-accounts`).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });

    const jilin = await mainHospital('jilin');
    expect((await jilin.tps.get(`${api('jilin')}/procurement/sub-accounts`).expect(404)).body).toMatchObject({ code: 'SUB_ACCOUNTS_NOT_OFFERED' });
  });

  it('AH-6: in provinces where everyone enters from the hall, the procurement login page sends them there', async () => {
    const res = await request(suite.http).post(`${api('jilin')}/procurement/sessions`).send({ method: 'password', account: 'someone', password: 'Some#Pass1' }).expect(400);
    expect(res.body).toMatchObject({ code: 'PROCUREMENT_LOGIN_THROUGH_HALL', hall: '/jilin/login' });
  });

  it('AH-6: a sub-account ends with its main hospital’s hall account', async () => {
    const { tps, branch } = await mainHospital();
    const body = subAccount(branch);
    await tps.post(`${api('anhui')}/procurement/sub-accounts`).send(body).expect(201);
    const { agent } = await localLogin('anhui', body.loginName, body.password);
    await agent.get(`${api('anhui')}/procurement/session`).expect(200);
    await suite.testApp.app.get(DataSource).query(`UPDATE units SET status = 'disabled' WHERE uscc = (SELECT uscc FROM units u JOIN procurement_accounts p ON p.unit_id = u.id WHERE p.login_name = $1)`, [body.loginName]);
    await agent.get(`${api('anhui')}/procurement/session`).expect(401);
  });

  it('AH-7: the Anhui administrator makes accounts for the military, veterans’ and prison hospitals of the registry; each logs in at the procurement login page', async () => {
    const military = code('H3404');
    await registeredUnitless('anhui', military);
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'anhui'));
    const listed = (await admin.get(`${api('anhui')}/admin/special-institutions`).expect(200)).body as { institutions: Array<{ code: string; kindName: string }> };
    expect(listed.institutions).toEqual(expect.arrayContaining([{ code: military, name: '示例部队医院', kind: 'military', kindName: '部队医疗机构' }]));
    const loginName = `budui${String(institutionSeq)}x${String(process.pid % 1000)}`;
    const made = await admin.post(`${api('anhui')}/admin/special-institutions`).send({ institutionCode: military, loginName }).expect(201);
    const { password } = made.body as { password: string };
    expect(made.body).toMatchObject({ loginName, name: '示例部队医院', institutionKind: 'military' });
    const { agent, res } = await localLogin('anhui', loginName, password);
    expect(res.status).toBe(201);
    expect((res.body as { actor: unknown }).actor).toMatchObject({ kind: 'special', account: loginName, roleTypes: ['medical-institution'] });
    await agent.get(`${api('anhui')}/procurement/session`).expect(200);
    expect((await admin.post(`${api('anhui')}/admin/special-institutions`).send({ institutionCode: military, loginName: `${loginName}b` }).expect(409)).body).toMatchObject({ code: 'SUB_ACCOUNT_TAKEN' });
  });

  it('AH-7: only an administrator of the province makes them; an ordinary hospital or another province cannot', async () => {
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, 'anhui'));
    const general = code('H3405');
    await registeredUnitless('anhui', general, 'general');
    expect((await admin.post(`${api('anhui')}/admin/special-institutions`).send({ institutionCode: general, loginName: 'putong01' }).expect(400)).body).toMatchObject({ code: 'SPECIAL_ACCOUNT_INVALID', fields: { institutionCode: expect.any(String) as unknown } });
    await request(suite.http).get(`${api('anhui')}/admin/special-institutions`).expect(401);
    await admin.get(`${api('hunan')}/admin/special-institutions`).expect(401);
    const hunanAdmin = await signedInAdmin(suite, await createTestAdministrator(suite, 'hunan'));
    expect((await hunanAdmin.get(`${api('hunan')}/admin/special-institutions`).expect(404)).body).toMatchObject({ code: 'SPECIAL_INSTITUTIONS_NOT_OFFERED' });
  });
});

/** A registry entry holding one institution of the kind, as the national coding database lists AH-7's hospitals. */
async function registeredUnitless(province: string, institutionCode: string, kind: 'military' | 'general' = 'military'): Promise<void> {
  await seedRegistryUnit(suite, province, { roleTypes: ['medical-institution'], institutions: [{ code: institutionCode, name: kind === 'military' ? '示例部队医院' : '示例普通医院', kind }] });
}
