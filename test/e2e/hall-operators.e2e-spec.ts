import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { addOperatorBySms, freshIdNumber, freshMobile, login, register, registrationDraft, seedRegistryUnit, solvedCaptcha, type RegistrationDraft } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const str = (value: string | undefined): string => value ?? '';

async function registered(province: string, overrides: Parameters<typeof registrationDraft>[1] = {}): Promise<RegistrationDraft & { unitId: string }> {
  const entry = await seedRegistryUnit(suite, province);
  const draft = registrationDraft(entry.uscc, overrides);
  const res = await register(suite.http, province, draft);
  expect(res.status).toBe(201);
  return { ...draft, unitId: (res.body as { unit: { id: string } }).unit.id };
}

async function signedIn(province: string, account: string, password: string): Promise<request.Agent> {
  const agent = request.agent(suite.http);
  expect((await login(agent, suite.http, province, account, password)).status).toBe(201);
  return agent;
}

interface OperatorRow {
  operatorId: string;
  mobile: string;
  name: string;
}

async function operatorsOf(agent: request.Agent, province: string): Promise<OperatorRow[]> {
  return (await agent.get(`/api/v1/provinces/${province}/hall/operators`).expect(200)).body as OperatorRow[];
}

describe('单位经办人', () => {
  it('JL-9: the unit account lists its operators by mobile; an operator may not manage them', async () => {
    const unit = await registered('jilin');
    const main = await signedIn('jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(await operatorsOf(main, 'jilin')).toEqual([{ operatorId: expect.any(String) as unknown, mobile: unit.operator.mobile, name: unit.operator.name, boundAt: expect.any(String) as unknown }]);
    const operator = await signedIn('jilin', str(unit.operator.mobile), str(unit.operator.password));
    expect((await operator.get('/api/v1/provinces/jilin/hall/operators').expect(403)).body).toMatchObject({ code: 'UNIT_ACCOUNT_ONLY' });
  });

  it('JL-7, JL-9: the unit account resets an operator’s password; the operator’s sessions end and the new password works', async () => {
    const unit = await registered('jilin');
    const main = await signedIn('jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const [row] = await operatorsOf(main, 'jilin');
    const operator = await signedIn('jilin', str(unit.operator.mobile), str(unit.operator.password));
    const weak = await main.put(`/api/v1/provinces/jilin/hall/operators/${row?.operatorId ?? ''}/password`).send({ newPassword: 'short', confirmPassword: 'short' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'OPERATOR_PASSWORD_INVALID', fields: { newPassword: expect.stringMatching(/密码长度/) as unknown } });
    const done = await main.put(`/api/v1/provinces/jilin/hall/operators/${row?.operatorId ?? ''}/password`).send({ newPassword: 'Chongzhi#2026', confirmPassword: 'Chongzhi#2026' }).expect(200);
    expect(done.body).toEqual({ mobile: `${str(unit.operator.mobile).slice(0, 3)}****${str(unit.operator.mobile).slice(-4)}`, sessionsEnded: 1 });
    await operator.get('/api/v1/provinces/jilin/session').expect(401);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', str(unit.operator.mobile), str(unit.operator.password))).status).toBe(401);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', str(unit.operator.mobile), 'Chongzhi#2026')).status).toBe(201);
  });

  it('HN-5, JL-11: unbinding keeps the operator’s account; they no longer see the unit, and another unit can bind them', async () => {
    const unit = await registered('hunan');
    const main = await signedIn('hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const [row] = await operatorsOf(main, 'hunan');
    await main.delete(`/api/v1/provinces/hunan/hall/operators/${row?.operatorId ?? ''}`).expect(204);
    expect(await operatorsOf(main, 'hunan')).toEqual([]);
    const refused = await login(request.agent(suite.http), suite.http, 'hunan', str(unit.operator.mobile), str(unit.operator.password));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'OPERATOR_NOT_BOUND' });
    const rows = await suite.testApp.app.get(DataSource).query<unknown[]>(`SELECT 1 FROM operators WHERE mobile = $1`, [unit.operator.mobile]);
    expect(rows).toHaveLength(1);
    clock.advanceSeconds(61);
    const other = await registered('hunan', { operator: { mobile: str(unit.operator.mobile), password: str(unit.operator.password), confirmPassword: str(unit.operator.password) } });
    const back = await login(request.agent(suite.http), suite.http, 'hunan', str(unit.operator.mobile), str(unit.operator.password));
    expect((back.body as { actor: { unit: { id: string } } }).actor.unit.id).toBe(other.unitId);
    await main.delete(`/api/v1/provinces/hunan/hall/operators/${row?.operatorId ?? ''}`).expect(404);
  });

  it('isolation: a unit account cannot see, reset or unbind another unit’s operator, nor one in another province', async () => {
    const mine = await registered('anhui');
    const theirs = await registered('anhui');
    const main = await signedIn('anhui', str(mine.unit.unitAccount), str(mine.unit.unitPassword));
    const theirMain = await signedIn('anhui', str(theirs.unit.unitAccount), str(theirs.unit.unitPassword));
    const [theirOperator] = await operatorsOf(theirMain, 'anhui');
    const id = theirOperator?.operatorId ?? '';
    expect((await operatorsOf(main, 'anhui')).map((o) => o.operatorId)).not.toContain(id);
    await main.put(`/api/v1/provinces/anhui/hall/operators/${id}/password`).send({ newPassword: 'Hack#20260', confirmPassword: 'Hack#20260' }).expect(404);
    await main.delete(`/api/v1/provinces/anhui/hall/operators/${id}`).expect(404);
    await main.get('/api/v1/provinces/jilin/hall/operators').expect(401);
    await main.delete(`/api/v1/provinces/jilin/hall/operators/${id}`).expect(401);
    await request(suite.http).get('/api/v1/provinces/anhui/hall/operators').expect(401);
    expect(await operatorsOf(theirMain, 'anhui')).toHaveLength(1);
  });
});

describe('新增经办人', () => {
  /** 发送验证码 then 确定, as the unit account; the code is read from the operator's phone (the outbox). */
  const addOperator = (main: request.Agent, province: string, who: Record<string, unknown>, phone: string) => addOperatorBySms(suite, clock, main, province, who, phone);

  it('NM-2: Inner Mongolia adds a registered operator by mobile + captcha + SMS code; they then choose between their units (NM-4)', async () => {
    const unit = await registered('neimenggu');
    const elsewhere = await registered('neimenggu');
    const main = await signedIn('neimenggu', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const added = await addOperator(main, 'neimenggu', { mobile: elsewhere.operator.mobile }, str(elsewhere.operator.mobile));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ mobile: elsewhere.operator.mobile, name: elsewhere.operator.name, registered: false });
    expect((await operatorsOf(main, 'neimenggu')).map((o) => o.mobile).sort()).toEqual([unit.operator.mobile, elsewhere.operator.mobile].sort());
    const res = await login(request.agent(suite.http), suite.http, 'neimenggu', str(elsewhere.operator.mobile), str(elsewhere.operator.password));
    expect((res.body as { actor: { units: Array<{ id: string }> } }).actor.units.map((u) => u.id).sort()).toEqual([unit.unitId, elsewhere.unitId].sort());
    const again = await addOperator(main, 'neimenggu', { mobile: elsewhere.operator.mobile }, str(elsewhere.operator.mobile));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'OPERATOR_ALREADY_BOUND' });
  });

  it('NM-2: a mobile that is no operator yet is refused (Inner Mongolia does not register inline), after spending the captcha', async () => {
    const unit = await registered('neimenggu');
    const main = await signedIn('neimenggu', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const captcha = await solvedCaptcha(suite.http, 'neimenggu');
    const res = await main.post('/api/v1/provinces/neimenggu/hall/operators/sms-codes').send({ mobile: freshMobile(), ...captcha }).expect(404);
    expect(res.body).toMatchObject({ code: 'OPERATOR_NOT_REGISTERED' });
    await request(suite.http).get(`/api/v1/dev/captchas/${captcha.captchaId}`).expect(404);
  });

  it('XZ-8: Tibet adds a registered operator by ID number; the code goes to that operator’s own phone', async () => {
    const unit = await registered('xizang');
    const elsewhere = await registered('xizang');
    const main = await signedIn('xizang', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const added = await addOperator(main, 'xizang', { idType: 'resident-id', idNumber: elsewhere.operator.idNumber }, str(elsewhere.operator.mobile));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ mobile: elsewhere.operator.mobile, registered: false });
  });

  it('XZ-8: an operator not yet registered is registered and added in one step from the operator fields', async () => {
    const unit = await registered('xizang');
    const main = await signedIn('xizang', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const mobile = freshMobile();
    const operator = { name: '新经办人', idType: 'resident-id', idNumber: freshIdNumber(), idValidFrom: '2020-01-01', idValidTo: '长期', mobile, password: 'Xinjingban#1', confirmPassword: 'Xinjingban#1' };
    const invalid = await main.post('/api/v1/provinces/xizang/hall/operators').send({ operator: { ...operator, password: 'weak' }, smsCode: '123456' }).expect(400);
    expect(invalid.body).toMatchObject({ code: 'OPERATOR_ADD_INVALID', fields: { 'operator.password': expect.any(String) as unknown } });
    const added = await addOperator(main, 'xizang', { operator }, mobile);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ mobile, name: '新经办人', registered: true });
    const res = await login(request.agent(suite.http), suite.http, 'xizang', mobile, 'Xinjingban#1');
    expect((res.body as { actor: { unit: { id: string } } }).actor.unit.id).toBe(unit.unitId);
  });

  it('a wrong SMS code binds nobody', async () => {
    const unit = await registered('neimenggu');
    const elsewhere = await registered('neimenggu');
    const main = await signedIn('neimenggu', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const res = await main.post('/api/v1/provinces/neimenggu/hall/operators').send({ mobile: elsewhere.operator.mobile, smsCode: '000000' }).expect(400);
    expect((res.body as { code: string }).code).toMatch(/^SMS_CODE_/);
    expect(await operatorsOf(main, 'neimenggu')).toHaveLength(1);
  });
});
