/**
 * Hall → procurement (N-1, N-5, XZ-7, JL-12, HN-2, AH-4, NM-3): the one-time ticket, the
 * procurement session of its own, and what the hall decides about who may enter (certification,
 * 招采授权 JL-9, JL-8's unit account that manages but does not transact, HN-9's main account).
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

interface Ticket {
  ticket: string;
  url: string;
  expiresInSeconds: number;
}

interface ProcurementActor {
  accountId: string;
  kind: string;
  account: string;
  unit?: { id: string };
  roleTypes: string[];
  isMainAccount: boolean;
  canTransact: boolean;
}

const api = (province: string) => `/api/v1/provinces/${province}`;

async function certify(agent: request.Agent, province: string, roleType = 'manufacturer'): Promise<void> {
  await agent.post(`${api(province)}/hall/certifications`).send({ roleType }).expect(201);
}

async function ticketFor(agent: request.Agent, province: string): Promise<Ticket> {
  return (await agent.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as Ticket;
}

/** Exchanges a ticket on a fresh agent (the procurement subsystem's side) and returns it signed in. */
async function enter(province: string, ticket: string): Promise<{ agent: request.Agent; actor: ProcurementActor }> {
  const agent = request.agent(suite.http);
  const res = await agent.post(`${api(province)}/procurement/sessions`).send({ ticket });
  expect(res.status).toBe(201);
  return { agent, actor: (res.body as { actor: ProcurementActor }).actor };
}

describe('进入招采系统', () => {
  it('N-5, JL-12, AH-4: an uncertified unit gets no ticket; once certified its ticket opens a procurement session of its own', async () => {
    const unit = await registeredUnit(suite, 'anhui');
    const main = await signedIn(suite, 'anhui', unit.account, unit.password);
    const refused = await main.post(`${api('anhui')}/hall/procurement-tickets`).expect(403);
    expect(refused.body).toMatchObject({ code: 'HANDOFF_NOT_CERTIFIED', message: expect.stringContaining('角色认证') as unknown });
    await certify(main, 'anhui');
    const issued = await ticketFor(main, 'anhui');
    expect(issued).toMatchObject({ url: '/anhui/procurement/enter', expiresInSeconds: 60 });
    const { agent, actor } = await enter('anhui', issued.ticket);
    expect(actor).toMatchObject({ kind: 'unit', account: unit.account, unit: { id: unit.unitId }, roleTypes: ['manufacturer'], isMainAccount: true, canTransact: true });
    expect(((await agent.get(`${api('anhui')}/procurement/session`).expect(200)).body as ProcurementActor).accountId).toBe(actor.accountId);
    // Separate cookies: the procurement session is not a hall session, nor the other way round.
    await agent.get(`${api('anhui')}/hall`).expect(401);
    await main.get(`${api('anhui')}/procurement/session`).expect(401);
  });

  it('N-1: a ticket is single use, lives 60 seconds and belongs to its province', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const main = await signedIn(suite, 'hunan', unit.account, unit.password);
    await certify(main, 'hunan');
    const first = await ticketFor(main, 'hunan');
    await enter('hunan', first.ticket);
    const replay = await request(suite.http).post(`${api('hunan')}/procurement/sessions`).send({ ticket: first.ticket }).expect(401);
    expect(replay.body).toMatchObject({ code: 'PROCUREMENT_TICKET_INVALID' });

    const late = await ticketFor(main, 'hunan');
    clock.advanceSeconds(61);
    await request(suite.http).post(`${api('hunan')}/procurement/sessions`).send({ ticket: late.ticket }).expect(401);

    const foreign = await ticketFor(main, 'hunan');
    await request(suite.http).post(`${api('jilin')}/procurement/sessions`).send({ ticket: foreign.ticket }).expect(401);
    // Refused elsewhere, it was not spent: it still works in its own province.
    await enter('hunan', foreign.ticket);
  });

  it('N-1: two exchanges of one ticket at once open one session', async () => {
    const unit = await registeredUnit(suite, 'neimenggu');
    const main = await signedIn(suite, 'neimenggu', unit.account, unit.password);
    await certify(main, 'neimenggu');
    const { ticket } = await ticketFor(main, 'neimenggu');
    const results = await Promise.all([0, 1, 2].map(() => request(suite.http).post(`${api('neimenggu')}/procurement/sessions`).send({ ticket })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401]);
  });

  it('JL-9: a Jilin operator enters procurement only once 招采授权 is given; withdrawing it ends their procurement session', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const main = await signedIn(suite, 'jilin', unit.account, unit.password);
    await certify(main, 'jilin');
    const operator = await signedIn(suite, 'jilin', unit.mobile, unit.operatorPassword);
    await certify(operator, 'jilin'); // JL-5: operators certify too
    expect((await operator.post(`${api('jilin')}/hall/procurement-tickets`).expect(403)).body).toMatchObject({ code: 'HANDOFF_NOT_AUTHORISED' });

    const [row] = (await main.get(`${api('jilin')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    const operatorId = row?.operatorId ?? '';
    const authorised = await main.put(`${api('jilin')}/hall/operators/${operatorId}/procurement-authorisation`).expect(200);
    expect(authorised.body).toMatchObject({ operatorId, procurementAuthorisedAt: expect.any(String) as unknown });
    // The hall says what it means: procurement, no longer the unit's insurance business.
    expect((await operator.get(`${api('jilin')}/session`).expect(200)).body).toMatchObject({ procurementAuthorised: true });
    expect((await operator.get('/jilin/hall').set('Accept', 'text/html').expect(200)).text).toContain('招采授权后，该经办人无法再进入本单位的医保（参保）业务经办');
    const { agent, actor } = await enter('jilin', (await ticketFor(operator, 'jilin')).ticket);
    expect(actor).toMatchObject({ kind: 'operator', account: unit.mobile, isMainAccount: false, canTransact: true });

    await main.delete(`${api('jilin')}/hall/operators/${operatorId}/procurement-authorisation`).expect(200);
    await agent.get(`${api('jilin')}/procurement/session`).expect(401);
    await operator.post(`${api('jilin')}/hall/procurement-tickets`).expect(403);
  });

  it('JL-9: 招采授权 exists only where the province has it, and only the unit account gives it', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const main = await signedIn(suite, 'hunan', unit.account, unit.password);
    const [row] = (await main.get(`${api('hunan')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    expect((await main.put(`${api('hunan')}/hall/operators/${row?.operatorId ?? ''}/procurement-authorisation`).expect(400)).body).toMatchObject({ code: 'OPERATOR_ACTION_NOT_OFFERED' });
    const jilin = await registeredUnit(suite, 'jilin');
    const operator = await signedIn(suite, 'jilin', jilin.mobile, jilin.operatorPassword);
    await operator.put(`${api('jilin')}/hall/operators/00000000-0000-4000-8000-000000000000/procurement-authorisation`).expect(403);
  });

  it('JL-8, JL-10: the Jilin unit account enters procurement to manage but cannot transact; a Hunan one can', async () => {
    const jilin = await registeredUnit(suite, 'jilin');
    const jilinMain = await signedIn(suite, 'jilin', jilin.account, jilin.password);
    await certify(jilinMain, 'jilin');
    expect((await enter('jilin', (await ticketFor(jilinMain, 'jilin')).ticket)).actor).toMatchObject({ isMainAccount: true, canTransact: false });
    const hunan = await registeredUnit(suite, 'hunan');
    const hunanMain = await signedIn(suite, 'hunan', hunan.account, hunan.password);
    await certify(hunanMain, 'hunan');
    expect((await enter('hunan', (await ticketFor(hunanMain, 'hunan')).ticket)).actor).toMatchObject({ isMainAccount: true, canTransact: true });
  });

  it('HN-9: a Hunan institution’s operator is told the main account certifies first, then enters once it has', async () => {
    const unit = await registeredUnit(suite, 'hunan', { roleTypes: ['medical-institution'] });
    const operator = await signedIn(suite, 'hunan', unit.mobile, unit.operatorPassword);
    const refused = await operator.post(`${api('hunan')}/hall/procurement-tickets`).expect(403);
    expect(refused.body).toMatchObject({ code: 'HANDOFF_NOT_CERTIFIED', message: expect.stringContaining('主账户') as unknown });
    const main = await signedIn(suite, 'hunan', unit.account, unit.password);
    await certify(main, 'hunan', 'medical-institution');
    expect((await enter('hunan', (await ticketFor(operator, 'hunan')).ticket)).actor).toMatchObject({ kind: 'operator', roleTypes: ['medical-institution'] });
  });

  it('XZ-11, NM-6: an operator’s procurement account appears at their first entry; several entering at once each get one, once', async () => {
    const unit = await registeredUnit(suite, 'xizang');
    const main = await signedIn(suite, 'xizang', unit.account, unit.password);
    await certify(main, 'xizang');
    const operator = await signedIn(suite, 'xizang', unit.mobile, unit.operatorPassword);
    const db = suite.testApp.app.get(DataSource);
    const count = async () => Number((await db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM procurement_accounts WHERE unit_id = $1`, [unit.unitId]))[0]?.n);
    expect(await count()).toBe(0);
    const tickets = await Promise.all([main, operator, operator, main].map((agent) => ticketFor(agent, 'xizang')));
    const entered = await Promise.all(tickets.map((t) => enter('xizang', t.ticket)));
    expect(new Set(entered.map((e) => e.actor.accountId)).size).toBe(2);
    expect(await count()).toBe(2);
  });

  it('N-5: a session that ends in the hall (account disabled, operator unbound) ends in procurement too', async () => {
    const unit = await registeredUnit(suite, 'hunan');
    const main = await signedIn(suite, 'hunan', unit.account, unit.password);
    await certify(main, 'hunan');
    const operator = await signedIn(suite, 'hunan', unit.mobile, unit.operatorPassword);
    const { agent } = await enter('hunan', (await ticketFor(operator, 'hunan')).ticket);
    await agent.get(`${api('hunan')}/procurement/session`).expect(200);
    const [row] = (await main.get(`${api('hunan')}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    await main.delete(`${api('hunan')}/hall/operators/${row?.operatorId ?? ''}`).expect(204);
    await agent.get(`${api('hunan')}/procurement/session`).expect(401);
  });

  it('N-1: the hand-off and every refusal are in the audit trail', async () => {
    const unit = await registeredUnit(suite, 'anhui');
    const main = await signedIn(suite, 'anhui', unit.account, unit.password);
    await main.post(`${api('anhui')}/hall/procurement-tickets`).expect(403);
    await certify(main, 'anhui');
    await enter('anhui', (await ticketFor(main, 'anhui')).ticket);
    const kinds = (await suite.testApp.app.get(DataSource).query<Array<{ kind: string }>>(`SELECT kind FROM audit_events WHERE unit_id = $1 ORDER BY id`, [unit.unitId])).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['procurement.handoff-refused', 'procurement.ticket-issued', 'procurement.session-opened']));
  });
});
