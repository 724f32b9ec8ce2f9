/**
 * NM-6: several people work for one unit at once. Concurrent changes to the same unit either all
 * apply or meet a clear refusal — never a duplicate row, a lost change or a 500.
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { codeIn, outboxTexts, registeredUnit, signedIn, solvedCaptcha } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;
const count = async (sql: string, params: unknown[]) => Number((await suite.testApp.app.get(DataSource).query<Array<{ n: string }>>(sql, params))[0]?.n);

describe('NM-6 同时办理', () => {
  it('NM-6: two sessions of the unit account certify at once: one certifies, the other is told it is done', async () => {
    const unit = await registeredUnit(suite, 'neimenggu');
    const [a, b] = await Promise.all([signedIn(suite, 'neimenggu', unit.account, unit.password), signedIn(suite, 'neimenggu', unit.account, unit.password)]);
    const results = await Promise.all([a, b].map((agent) => agent.post(`${api('neimenggu')}/hall/certifications`).send({ roleType: 'manufacturer' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await count(`SELECT count(*) AS n FROM unit_certifications WHERE unit_id = $1`, [unit.unitId])).toBe(1);
  });

  it('NM-6: the unit account adds two operators from two sessions at once; both are bound', async () => {
    const unit = await registeredUnit(suite, 'neimenggu');
    const [first, second] = await Promise.all([registeredUnit(suite, 'neimenggu'), registeredUnit(suite, 'neimenggu')]);
    const sessions = await Promise.all([signedIn(suite, 'neimenggu', unit.account, unit.password), signedIn(suite, 'neimenggu', unit.account, unit.password)]);
    clock.advanceSeconds(61);
    const people = [first, second].map((p, i) => ({ agent: sessions[i] ?? sessions[0], mobile: p.mobile }));
    const codes = await Promise.all(
      people.map(async ({ agent, mobile }) => {
        if (!agent) throw new Error('no session');
        await agent.post(`${api('neimenggu')}/hall/operators/sms-codes`).send({ mobile, ...(await solvedCaptcha(suite.http, 'neimenggu')) }).expect(202);
        return codeIn((await outboxTexts(suite.http, mobile, 2))[0]);
      }),
    );
    const added = await Promise.all(people.map(({ agent, mobile }, i) => agent?.post(`${api('neimenggu')}/hall/operators`).send({ mobile, smsCode: codes[i] })));
    expect(added.map((r) => r?.status)).toEqual([201, 201]);
    expect(await count(`SELECT count(*) AS n FROM unit_operators WHERE unit_id = $1 AND unbound_at IS NULL`, [unit.unitId])).toBe(3);
  });

  it('NM-6: the same add sent twice at once binds the operator once', async () => {
    const unit = await registeredUnit(suite, 'neimenggu');
    const other = await registeredUnit(suite, 'neimenggu');
    const main = await signedIn(suite, 'neimenggu', unit.account, unit.password);
    clock.advanceSeconds(61);
    await main.post(`${api('neimenggu')}/hall/operators/sms-codes`).send({ mobile: other.mobile, ...(await solvedCaptcha(suite.http, 'neimenggu')) }).expect(202);
    const smsCode = codeIn((await outboxTexts(suite.http, other.mobile, 2))[0]);
    const results = await Promise.all([0, 1].map(() => main.post(`${api('neimenggu')}/hall/operators`).send({ mobile: other.mobile, smsCode })));
    expect(results.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
    for (const r of results) expect(r.status).toBeLessThan(500);
    expect(await count(`SELECT count(*) AS n FROM unit_operators WHERE unit_id = $1`, [unit.unitId])).toBe(2);
  });

  it('NM-6: unbinding one operator from two sessions at once: one unbinds, the other finds nobody to unbind', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const [a, b] = await Promise.all([signedIn(suite, 'hunan', unit.account, unit.password), signedIn(suite, 'hunan', unit.account, unit.password)]);
    const [row] = (await a.get(`${api('hunan')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    const results = await Promise.all([a, b].map((agent) => agent.delete(`${api('hunan')}/hall/operators/${row?.operatorId ?? ''}`)));
    expect(results.map((r) => r.status).sort()).toEqual([204, 404]);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE unit_id = $1 AND kind = 'operator.unbound'`, [unit.unitId])).toBe(1);
  });

  it('NM-6: operators of one unit work at once, each in their own session', async () => {
    const unit = await registeredUnit(suite, 'neimenggu');
    const colleague = await registeredUnit(suite, 'neimenggu');
    const main = await signedIn(suite, 'neimenggu', unit.account, unit.password);
    clock.advanceSeconds(61);
    await main.post(`${api('neimenggu')}/hall/operators/sms-codes`).send({ mobile: colleague.mobile, ...(await solvedCaptcha(suite.http, 'neimenggu')) }).expect(202);
    const smsCode = codeIn((await outboxTexts(suite.http, colleague.mobile, 2))[0]);
    await main.post(`${api('neimenggu')}/hall/operators`).send({ mobile: colleague.mobile, smsCode }).expect(201);
    const agents = await Promise.all([signedIn(suite, 'neimenggu', unit.mobile, unit.operatorPassword), signedIn(suite, 'neimenggu', colleague.mobile, colleague.operatorPassword)]);
    await Promise.all(agents.map((agent) => agent.put(`${api('neimenggu')}/session/unit`).send({ unitId: unit.unitId }).expect(200)));
    const views = await Promise.all(agents.map((agent) => agent.get(`${api('neimenggu')}/session`).expect(200)));
    expect(views.map((v) => (v.body as { account: string; unit: { id: string } }).account).sort()).toEqual([unit.mobile, colleague.mobile].sort());
    for (const v of views) expect((v.body as { unit: { id: string } }).unit.id).toBe(unit.unitId);
  });
});
