/** 单位管理 for the unit account: XZ-9's core-data message, and JL-8's deregistration of the hall account. */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { login, registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;
const db = () => suite.testApp.app.get(DataSource);

/** XZ-9 on the demo registry: the core system lacks this unit's base data. */
async function coreDataMissing(uscc: string): Promise<void> {
  await db().query(`UPDATE registry_entries SET core_base_data = false WHERE uscc = $1`, [uscc]);
}

describe('单位管理', () => {
  it('XZ-9: where the core system lacks the unit’s base data, Tibet’s 单位管理 says so and that procurement is not affected', async () => {
    const unit = await registeredUnit(suite, 'xizang');
    await coreDataMissing(unit.uscc);
    const main = await signedIn(suite, 'xizang', unit.account, unit.password);
    const view = (await main.get(`${api('xizang')}/hall/unit`).expect(200)).body as Record<string, unknown>;
    expect(view).toMatchObject({ unit: { id: unit.unitId, uscc: unit.uscc }, coreDataMissing: { message: '核心系统不存在单位的统一社会信用代码对应的单位基本数据，无法操作', note: expect.stringContaining('不影响医药采购业务') as unknown } });
    expect(view.details).toBeUndefined();
    // Procurement goes on: certification and the hand-off are not blocked.
    await main.post(`${api('xizang')}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
    await main.post(`${api('xizang')}/hall/procurement-tickets`).expect(201);
  });

  it('XZ-9: a Tibetan unit the core system knows sees its data; provinces without the rule never show the message', async () => {
    const known = await registeredUnit(suite, 'xizang');
    const view = (await (await signedIn(suite, 'xizang', known.account, known.password)).get(`${api('xizang')}/hall/unit`).expect(200)).body as Record<string, unknown>;
    expect(view.coreDataMissing).toBeUndefined();
    expect(view.details).toMatchObject({ unitName: known.unit.unitName, uscc: known.uscc });
    const jilin = await registeredUnit(suite, 'jilin');
    await coreDataMissing(jilin.uscc);
    const jilinView = (await (await signedIn(suite, 'jilin', jilin.account, jilin.password)).get(`${api('jilin')}/hall/unit`).expect(200)).body as Record<string, unknown>;
    expect(jilinView.coreDataMissing).toBeUndefined();
  });

  it('JL-8: an operator has no 单位管理', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const operator = await signedIn(suite, 'jilin', unit.mobile, unit.operatorPassword);
    expect((await operator.get(`${api('jilin')}/hall/unit`).expect(403)).body).toMatchObject({ code: 'UNIT_ACCOUNT_ONLY' });
    await operator.post(`${api('jilin')}/hall/deregistration`).send({ password: unit.operatorPassword, confirmation: '注销网厅账号' }).expect(403);
  });

  it('JL-8: deregistering asks for the typed confirmation and the unit account’s own password', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const main = await signedIn(suite, 'jilin', unit.account, unit.password);
    expect((await main.post(`${api('jilin')}/hall/deregistration`).send({ password: unit.password, confirmation: '注销' }).expect(400)).body).toMatchObject({ code: 'DEREGISTRATION_INVALID', fields: { confirmation: expect.any(String) as unknown } });
    expect((await main.post(`${api('jilin')}/hall/deregistration`).send({ password: 'Wrong#Pass1', confirmation: '注销网厅账号' }).expect(401)).body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await main.get(`${api('jilin')}/hall`).expect(200);
  });

  it('JL-8, JL-11: the unit account deregisters its hall account; its sessions end, operators keep their accounts, everything stays on record', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const main = await signedIn(suite, 'jilin', unit.account, unit.password);
    const [row] = (await main.get(`${api('jilin')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    const other = await signedIn(suite, 'jilin', unit.account, unit.password);
    const done = await main.post(`${api('jilin')}/hall/deregistration`).send({ password: unit.password, confirmation: '注销网厅账号' }).expect(201);
    expect(done.body).toEqual({ operatorsUnbound: 1, sessionsEnded: 2 });
    await other.get(`${api('jilin')}/hall`).expect(401);
    // The account no longer signs in; the credit code is not free to register again by accident.
    const refused = await login(request.agent(suite.http), suite.http, 'jilin', unit.account, unit.password);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_DISABLED', message: expect.stringContaining('已注销') as unknown });
    // The operator keeps their account, no longer bound to the deregistered unit.
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.mobile, unit.operatorPassword)).body).toMatchObject({ code: 'OPERATOR_NOT_BOUND' });
    const [stored] = await db().query<Array<{ status: string; deregistered_at: Date | null; unbound_at: Date | null }>>(
      `SELECT u.status, u.deregistered_at, b.unbound_at FROM units u JOIN unit_operators b ON b.unit_id = u.id WHERE u.id = $1 AND b.operator_id = $2`,
      [unit.unitId, row?.operatorId],
    );
    expect(stored).toMatchObject({ status: 'deregistered', deregistered_at: expect.any(Date) as unknown, unbound_at: expect.any(Date) as unknown });
    const [event] = await db().query<Array<{ detail: { operatorsUnbound: string[] } }>>(`SELECT detail FROM audit_events WHERE unit_id = $1 AND kind = 'unit.deregistered'`, [unit.unitId]);
    expect(event?.detail.operatorsUnbound).toEqual([row?.operatorId]);
  });

  it('JL-8: a deregistered unit’s procurement session ends too', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const main = await signedIn(suite, 'jilin', unit.account, unit.password);
    await main.post(`${api('jilin')}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
    const { ticket } = (await main.post(`${api('jilin')}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
    const tps = request.agent(suite.http);
    await tps.post(`${api('jilin')}/procurement/sessions`).send({ ticket }).expect(201);
    await main.post(`${api('jilin')}/hall/deregistration`).send({ password: unit.password, confirmation: '注销网厅账号' }).expect(201);
    await tps.get(`${api('jilin')}/procurement/session`).expect(401);
  });

  it('JL-8: provinces whose manuals do not offer deregistration refuse it', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const main = await signedIn(suite, 'hunan', unit.account, unit.password);
    expect((await main.get(`${api('hunan')}/hall/unit`).expect(200)).body).toMatchObject({ canDeregister: false, canTransact: true });
    expect((await main.post(`${api('hunan')}/hall/deregistration`).send({ password: unit.password, confirmation: '注销网厅账号' }).expect(400)).body).toMatchObject({ code: 'DEREGISTRATION_NOT_OFFERED' });
  });
});
