import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { login, register, registrationDraft, seedRegistryUnit, type RegistrationDraft } from '#test/support/hall-journey.js';
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
