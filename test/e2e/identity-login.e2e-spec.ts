import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { IdentitySweeper } from '#src/identity/identity-sweeper.js';
import { login, register, registrationDraft, seedRegistryUnit, solvedCaptcha, type RegistrationDraft } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

interface Actor {
  kind: string;
  account: string;
  unit?: { id: string; name: string };
  units?: Array<{ id: string; name: string }>;
  mustChooseUnit: boolean;
  mustChooseInstitution: boolean;
  institution?: { code: string; name: string };
  institutions?: Array<{ code: string; name: string }>;
}

/** A registered unit of the province, with the credentials of its unit account and first operator. */
async function registered(province: string, options: Parameters<typeof seedRegistryUnit>[2] = {}, overrides: Parameters<typeof registrationDraft>[1] = {}): Promise<RegistrationDraft & { unitId: string }> {
  const entry = await seedRegistryUnit(suite, province, options);
  const draft = registrationDraft(entry.uscc, overrides);
  const res = await register(suite.http, province, draft);
  expect(res.status).toBe(201);
  return { ...draft, unitId: (res.body as { unit: { id: string } }).unit.id };
}

const str = (value: string | undefined): string => value ?? '';

function cookieOf(res: request.Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).find((c) => c.startsWith('pe_hall_')) ?? '';
}

describe('POST …/sessions: password login', () => {
  it('JL-4, JL-10: Jilin signs in the unit account by its chosen name and the operator by mobile, each with password + captcha', async () => {
    const unit = await registered('jilin');
    const asUnit = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(asUnit.status).toBe(201);
    expect((asUnit.body as { actor: Actor }).actor).toMatchObject({ kind: 'unit', account: unit.unit.unitAccount, unit: { id: unit.unitId }, mustChooseUnit: false });
    const asOperator = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.operator.mobile), str(unit.operator.password));
    expect((asOperator.body as { actor: Actor }).actor).toMatchObject({ kind: 'operator', account: unit.operator.mobile, unit: { id: unit.unitId } });
  });

  it('the session cookie is httpOnly and SameSite=Lax, named for the province; GET …/session answers who is signed in', async () => {
    const unit = await registered('hunan');
    const agent = request.agent(suite.http);
    const res = await login(agent, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(cookieOf(res)).toMatch(/^pe_hall_hunan=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    const session = await agent.get('/api/v1/provinces/hunan/session').expect(200);
    expect(session.body).toMatchObject({ kind: 'unit', account: unit.unit.unitAccount, method: 'password' });
    expect(session.headers['cache-control']).toBe('no-store');
  });

  it('JL-4: 普通登录 with the unified social credit code where Jilin offers it; Hunan refuses the method with its own code', async () => {
    const unit = await registered('jilin');
    const res = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.unit.uscc).toLowerCase(), str(unit.unit.unitPassword), 'credit-code');
    expect(res.status).toBe(201);
    expect((res.body as { actor: Actor }).actor).toMatchObject({ kind: 'unit', unit: { id: unit.unitId } });
    const hunan = await login(request.agent(suite.http), suite.http, 'hunan', str(unit.unit.uscc), str(unit.unit.unitPassword), 'credit-code');
    expect(hunan.status).toBe(400);
    expect(hunan.body).toMatchObject({ code: 'LOGIN_METHOD_NOT_OFFERED', methods: ['password', 'ca', 'qr'] });
  });

  it('XZ-5: after registering, a Tibetan unit logs in as 单位用户 with its account', async () => {
    const unit = await registered('xizang', {}, { unit: { unitPassword: 'Xizang#2025' }, operator: { password: 'Jingban#25', confirmPassword: 'Jingban#25' } });
    const res = await login(request.agent(suite.http), suite.http, 'xizang', str(unit.unit.unitAccount), 'Xizang#2025');
    expect(res.status).toBe(201);
  });

  it('XZ-3: a unit with an account in another province logs in to Tibet with that account; elsewhere it does not', async () => {
    const unit = await registered('xizang', {}, { unit: { unitPassword: 'Qita#2025x' } });
    const db = suite.testApp.app.get(DataSource);
    await db.query(`UPDATE units SET province_id = 'jilin' WHERE id = $1`, [unit.unitId]);
    // The unit now has only its Jilin account.
    expect((await login(request.agent(suite.http), suite.http, 'xizang', str(unit.unit.unitAccount), 'Wrong#2025x')).status).toBe(401);
    const agent = request.agent(suite.http);
    const res = await login(agent, suite.http, 'xizang', str(unit.unit.unitAccount), 'Qita#2025x');
    expect(res.status).toBe(201);
    const actor = (res.body as { actor: Actor & { unit: { uscc: string } } }).actor;
    expect(actor).toMatchObject({ kind: 'unit', account: unit.unit.unitAccount, unit: { uscc: unit.unit.uscc } });
    expect(actor.unit.id).not.toBe(unit.unitId);
    const provinces = await db.query<Array<{ province_id: string }>>(`SELECT province_id FROM units WHERE uscc = $1 ORDER BY province_id`, [unit.unit.uscc]);
    expect(provinces.map((r) => r.province_id)).toEqual(['jilin', 'xizang']);
    // Once adopted, Tibet's own record answers: no second copy.
    expect((await login(request.agent(suite.http), suite.http, 'xizang', str(unit.unit.unitAccount), 'Qita#2025x')).status).toBe(201);
    expect(await db.query(`SELECT 1 FROM audit_events WHERE kind = 'unit.adopted' AND account = $1`, [unit.unit.unitAccount])).toHaveLength(1);
    // Hunan's manual has no such rule.
    expect((await login(request.agent(suite.http), suite.http, 'hunan', str(unit.unit.unitAccount), 'Qita#2025x')).status).toBe(401);
  });

  it('ASVS V6: an unknown account and a wrong password get the same status, code, message and fields, after the same argon2 work', async () => {
    const unit = await registered('hunan');
    const timed = async (account: string) => {
      const captcha = await solvedCaptcha(suite.http, 'hunan');
      const started = process.hrtime.bigint();
      const res = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'password', account, password: 'Wrong#2025x', ...captcha });
      return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const samples = { wrong: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 3; i++) {
      const wrong = await timed(str(unit.unit.unitAccount));
      const unknown = await timed(`nobody${i}x${Date.now()}`);
      const unknownOperator = await timed('13999999999');
      for (const r of [wrong, unknown, unknownOperator]) {
        expect(r.res.status).toBe(401);
        expect(r.res.body).toEqual({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误', fields: { password: '账号或密码错误' } });
      }
      samples.wrong.push(wrong.ms);
      samples.unknown.push(unknown.ms, unknownOperator.ms);
    }
    // A skipped dummy verify would answer an unknown account in a few ms; argon2 takes tens.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    expect(median(samples.unknown)).toBeGreaterThan(median(samples.wrong) * 0.4);
  });

  it('a login without a captcha is refused on its fields; a wrong captcha is refused before any password is checked', async () => {
    const res = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'password', account: 'someone', password: 'x' }).expect(400);
    expect(res.body).toMatchObject({ code: 'LOGIN_INVALID', fields: { captchaId: '请先获取图形验证码', captcha: '请输入图形验证码' } });
    const { captchaId } = await solvedCaptcha(suite.http, 'hunan');
    const wrong = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'password', account: 'someone', password: 'x', captchaId, captcha: 'ZZZZ' }).expect(400);
    expect(wrong.body).toMatchObject({ code: 'CAPTCHA_WRONG' });
  });

  it('HN-1: Hunan’s CA login asks for the challenge, certificate and signature (test/e2e/ca-certificates.e2e-spec.ts signs in with them); Jilin does not offer it at all', async () => {
    const hunan = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'ca' }).expect(400);
    expect(hunan.body).toMatchObject({ code: 'CA_REQUEST_INVALID' });
    const jilin = await request(suite.http).post('/api/v1/provinces/jilin/sessions').send({ method: 'ca' }).expect(400);
    expect(jilin.body).toMatchObject({ code: 'LOGIN_METHOD_NOT_OFFERED' });
  });
});

describe('choosing the unit and the institution', () => {
  it('NM-4: an operator bound to two units chooses one after login, and only one of theirs', async () => {
    const first = await registered('neimenggu');
    clock.advanceSeconds(61);
    const second = await registered('neimenggu', {}, { operator: { mobile: str(first.operator.mobile), password: str(first.operator.password), confirmPassword: str(first.operator.password) } });
    const agent = request.agent(suite.http);
    const res = await login(agent, suite.http, 'neimenggu', str(first.operator.mobile), str(first.operator.password));
    const actor = (res.body as { actor: Actor }).actor;
    expect(actor).toMatchObject({ kind: 'operator', mustChooseUnit: true });
    expect(actor.units?.map((u) => u.id).sort()).toEqual([first.unitId, second.unitId].sort());
    expect(actor.unit).toBeUndefined();

    const stranger = await registered('neimenggu');
    const refused = await agent.put('/api/v1/provinces/neimenggu/session/unit').send({ unitId: stranger.unitId }).expect(400);
    expect(refused.body).toMatchObject({ code: 'UNIT_CHOICE_INVALID' });
    const chosen = await agent.put('/api/v1/provinces/neimenggu/session/unit').send({ unitId: second.unitId }).expect(200);
    expect(chosen.body).toMatchObject({ mustChooseUnit: false, unit: { id: second.unitId } });
    expect((await agent.get('/api/v1/provinces/neimenggu/session').expect(200)).body).toMatchObject({ unit: { id: second.unitId } });
  });

  it('AH-3: in Anhui the operator chooses the unit after login even when there is only one', async () => {
    const unit = await registered('anhui');
    const agent = request.agent(suite.http);
    const res = await login(agent, suite.http, 'anhui', str(unit.operator.mobile), str(unit.operator.password));
    expect((res.body as { actor: Actor }).actor).toMatchObject({ mustChooseUnit: true, units: [{ id: unit.unitId }] });
    await agent.put('/api/v1/provinces/anhui/session/unit').send({ unitId: unit.unitId }).expect(200);
  });

  it('NM-5: a medical-institution operator whose credit code covers several institutions picks one on first login, for good', async () => {
    const institutions = [
      { code: 'H15010200001', name: '示例第一医院', kind: 'general' as const },
      { code: 'H15010200002', name: '示例第二医院', kind: 'general' as const },
      { code: 'H15010200003', name: '示例第三医院', kind: 'general' as const },
    ];
    const unit = await registered('neimenggu', { roleTypes: ['medical-institution'], institutions });
    const agent = request.agent(suite.http);
    await login(agent, suite.http, 'neimenggu', str(unit.operator.mobile), str(unit.operator.password));
    // NM-4 first (Inner Mongolia always asks for the unit), then the institution under its code.
    const first = (await agent.put('/api/v1/provinces/neimenggu/session/unit').send({ unitId: unit.unitId }).expect(200)).body as Actor;
    expect(first).toMatchObject({ mustChooseUnit: false, mustChooseInstitution: true });
    expect(first.institutions?.map((i) => i.code)).toEqual(institutions.map((i) => i.code));

    await agent.put('/api/v1/provinces/neimenggu/session/institution').send({ institutionCode: 'H99999999999' }).expect(400);
    const chosen = await agent.put('/api/v1/provinces/neimenggu/session/institution').send({ institutionCode: 'H15010200002' }).expect(200);
    expect(chosen.body).toMatchObject({ mustChooseInstitution: false, institution: { code: 'H15010200002', name: '示例第二医院' } });
    const again = await agent.put('/api/v1/provinces/neimenggu/session/institution').send({ institutionCode: 'H15010200003' }).expect(409);
    expect(again.body).toMatchObject({ code: 'INSTITUTION_ALREADY_CHOSEN' });

    const laterAgent = request.agent(suite.http);
    await login(laterAgent, suite.http, 'neimenggu', str(unit.operator.mobile), str(unit.operator.password));
    const later = (await laterAgent.put('/api/v1/provinces/neimenggu/session/unit').send({ unitId: unit.unitId }).expect(200)).body as Actor;
    expect(later).toMatchObject({ mustChooseInstitution: false, institution: { code: 'H15010200002' } });
  });

  it('NM-5 applies only where the profile says so: in Jilin the same kind of unit has no institution to choose', async () => {
    const unit = await registered('jilin', { roleTypes: ['medical-institution'], institutions: [{ code: 'H22010200001', name: '甲院', kind: 'general' }, { code: 'H22010200002', name: '乙院', kind: 'general' }] });
    const res = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.operator.mobile), str(unit.operator.password));
    expect((res.body as { actor: Actor }).actor).toMatchObject({ mustChooseInstitution: false });
  });
});

describe('sessions', () => {
  it('a login rotates the session id: the cookie the browser had before is dead afterwards', async () => {
    const unit = await registered('hunan');
    const agent = request.agent(suite.http);
    const before = cookieOf(await login(agent, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword)));
    const after = cookieOf(await login(agent, suite.http, 'hunan', str(unit.operator.mobile), str(unit.operator.password)));
    expect(after).not.toEqual(before);
    const old = before.split(';')[0] ?? '';
    await request(suite.http).get('/api/v1/provinces/hunan/session').set('cookie', old).expect(401);
    expect((await agent.get('/api/v1/provinces/hunan/session').expect(200)).body).toMatchObject({ kind: 'operator' });
  });

  it('the profile’s idle timeout (30 min) and absolute limit (12 h) end a session', async () => {
    const unit = await registered('hunan');
    const idle = request.agent(suite.http);
    await login(idle, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    clock.advanceSeconds(29 * 60);
    await idle.get('/api/v1/provinces/hunan/session').expect(200);
    clock.advanceSeconds(29 * 60);
    await idle.get('/api/v1/provinces/hunan/session').expect(200);
    clock.advanceSeconds(31 * 60);
    const expired = await idle.get('/api/v1/provinces/hunan/session').expect(401);
    expect(expired.body).toMatchObject({ code: 'SESSION_REQUIRED' });

    const busy = request.agent(suite.http);
    await login(busy, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      clock.advanceSeconds(20 * 60);
      await busy.get('/api/v1/provinces/hunan/session').expect(200);
    }
    clock.advanceSeconds(20 * 60);
    await busy.get('/api/v1/provinces/hunan/session').expect(401);
  });

  it('an account disabled since login: its sessions end, and a login with the right password says 该账号已停用', async () => {
    const unit = await registered('hunan');
    const agent = request.agent(suite.http);
    await login(agent, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    await suite.testApp.app.get(DataSource).query(`UPDATE units SET status = 'disabled' WHERE id = $1`, [unit.unitId]);
    await agent.get('/api/v1/provinces/hunan/session').expect(401);
    const refused = await login(request.agent(suite.http), suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_DISABLED', message: '该账号已停用或已注销' });
    const wrong = await login(request.agent(suite.http), suite.http, 'hunan', str(unit.unit.unitAccount), 'Wrong#2025x');
    expect(wrong.status).toBe(401);
  });

  it('expired sessions leave the store: the sweeper deletes them from PostgreSQL, Redis keys expire with the absolute limit', async () => {
    const unit = await registered('jilin');
    const res = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const stored = await storedSession(res);
    if (stored.redis) {
      // Kept no longer than the profile's 12 h.
      expect(stored.ttlMs).toBeGreaterThan(11 * 3_600_000);
      expect(stored.ttlMs).toBeLessThanOrEqual(12 * 3_600_000);
      return;
    }
    const db = suite.testApp.app.get(DataSource);
    const live = () => db.query<unknown[]>(`SELECT 1 FROM sessions WHERE actor_id = $1`, [unit.unitId]);
    await suite.testApp.app.get(IdentitySweeper).sweep();
    expect(await live()).toHaveLength(1);
    clock.advanceSeconds(31 * 60);
    await suite.testApp.app.get(IdentitySweeper).sweep();
    expect(await live()).toHaveLength(0);
  });

  it('logout ends the session (204) and a second logout is 401', async () => {
    const unit = await registered('jilin');
    const agent = request.agent(suite.http);
    await login(agent, suite.http, 'jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const out = await agent.delete('/api/v1/provinces/jilin/session').expect(204);
    expect(cookieOf(out)).toMatch(/^pe_hall_jilin=;/);
    await agent.get('/api/v1/provinces/jilin/session').expect(401);
    await agent.delete('/api/v1/provinces/jilin/session').expect(401);
  });

  it('no cross-province use: a Jilin session presented to Hunan’s routes, under Hunan’s cookie name, is no session', async () => {
    const unit = await registered('jilin');
    const res = await login(request.agent(suite.http), suite.http, 'jilin', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const value = cookieOf(res).split(';')[0]?.split('=')[1] ?? '';
    await request(suite.http).get('/api/v1/provinces/jilin/session').set('cookie', `pe_hall_jilin=${value}`).expect(200);
    await request(suite.http).get('/api/v1/provinces/hunan/session').set('cookie', `pe_hall_hunan=${value}`).expect(401);
    await request(suite.http).put('/api/v1/provinces/hunan/session/unit').set('cookie', `pe_hall_hunan=${value}`).send({ unitId: unit.unitId }).expect(401);
  });

  it('the store keeps only the SHA-256 of the session id, never the cookie value', async () => {
    const unit = await registered('anhui');
    const res = await login(request.agent(suite.http), suite.http, 'anhui', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    const stored = await storedSession(res);
    expect(stored.found).toBe(true);
    expect(stored.rawValueStored).toBe(false);
  });
});

/**
 * Where the session behind a login's cookie is kept: the `sessions` row keyed by the id's SHA-256,
 * or the Redis key named after it (test:services) — and whether the raw cookie value is anywhere.
 */
async function storedSession(res: request.Response): Promise<{ found: boolean; rawValueStored: boolean; redis: boolean; ttlMs: number }> {
  const value = cookieOf(res).split(';')[0]?.split('=')[1] ?? '';
  const hash = createHash('sha256').update(value).digest();
  const { redisUrl, sms } = suite.testApp.config;
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const keys = await redis.keys(`${sms.queuePrefix}:identity:sess:*`);
      const ttlMs = await redis.pttl(`${sms.queuePrefix}:identity:sess:${hash.toString('hex')}`);
      return { found: ttlMs > 0, rawValueStored: keys.some((k) => k.includes(value)), redis: true, ttlMs };
    } finally {
      redis.disconnect();
    }
  }
  const db = suite.testApp.app.get(DataSource);
  const byHash = await db.query<unknown[]>(`SELECT 1 FROM sessions WHERE id_hash = $1`, [hash]);
  const raw = await db.query<unknown[]>(`SELECT 1 FROM sessions WHERE position($1::bytea in id_hash) > 0 OR data::text LIKE '%' || $2 || '%'`, [Buffer.from(value), value]);
  return { found: byHash.length === 1, rawValueStored: raw.length > 0, redis: false, ttlMs: 0 };
}

describe('QR login (HN-1)', () => {
  it('HN-1: a ticket shown as a QR code, approved on a signed-in device, redeemed once for the approver’s session', async () => {
    const unit = await registered('hunan');
    const issued = await request(suite.http).post('/api/v1/provinces/hunan/qr-logins').expect(201);
    const ticket = issued.body as { ticketId: string; pollToken: string; svg: string; confirmUrl: string; expiresInSeconds: number };
    expect(ticket.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(ticket.confirmUrl).toMatch(new RegExp(`/hunan/qr/${ticket.ticketId}$`));
    expect(ticket.expiresInSeconds).toBe(120);
    const poll = () => request(suite.http).get(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}`).set('x-poll-token', ticket.pollToken);
    expect((await poll().expect(200)).body).toEqual({ status: 'pending' });
    const early = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: ticket.pollToken }).expect(409);
    expect(early.body).toMatchObject({ code: 'QR_TICKET_PENDING' });

    // Only a signed-in device approves.
    await request(suite.http).post(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}/approval`).expect(401);
    const phone = request.agent(suite.http);
    await login(phone, suite.http, 'hunan', str(unit.operator.mobile), str(unit.operator.password));
    await phone.post(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}/approval`).expect(200, { approved: true });
    expect((await poll().expect(200)).body).toEqual({ status: 'approved' });

    const desktop = request.agent(suite.http);
    const redeemed = await desktop.post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: ticket.pollToken }).expect(201);
    expect((redeemed.body as { actor: Actor }).actor).toMatchObject({ kind: 'operator', account: unit.operator.mobile, unit: { id: unit.unitId } });
    expect((await desktop.get('/api/v1/provinces/hunan/session').expect(200)).body).toMatchObject({ method: 'qr' });
    const replay = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: ticket.pollToken }).expect(410);
    expect(replay.body).toMatchObject({ code: 'QR_TICKET_INVALID' });
  });

  it('HN-1: a ticket lives two minutes; without its poll token nobody can watch or redeem it', async () => {
    const unit = await registered('hunan');
    const ticket = (await request(suite.http).post('/api/v1/provinces/hunan/qr-logins').expect(201)).body as { ticketId: string; pollToken: string };
    expect((await request(suite.http).get(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}`).set('x-poll-token', 'guess').expect(200)).body).toEqual({ status: 'expired' });
    const phone = request.agent(suite.http);
    await login(phone, suite.http, 'hunan', str(unit.operator.mobile), str(unit.operator.password));
    await phone.post(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}/approval`).expect(200);
    await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: 'guess' }).expect(410);
    clock.advanceSeconds(121);
    expect((await request(suite.http).get(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}`).set('x-poll-token', ticket.pollToken).expect(200)).body).toEqual({ status: 'expired' });
    await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: ticket.pollToken }).expect(410);
  });

  it('HN-1: a ticket approved by an account that is then disabled opens no session', async () => {
    const unit = await registered('hunan');
    const ticket = (await request(suite.http).post('/api/v1/provinces/hunan/qr-logins').expect(201)).body as { ticketId: string; pollToken: string };
    const phone = request.agent(suite.http);
    await login(phone, suite.http, 'hunan', str(unit.unit.unitAccount), str(unit.unit.unitPassword));
    await phone.post(`/api/v1/provinces/hunan/qr-logins/${ticket.ticketId}/approval`).expect(200);
    await suite.testApp.app.get(DataSource).query(`UPDATE units SET status = 'disabled' WHERE id = $1`, [unit.unitId]);
    const refused = await request(suite.http).post('/api/v1/provinces/hunan/sessions').send({ method: 'qr', ticketId: ticket.ticketId, pollToken: ticket.pollToken }).expect(403);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    const next = (await request(suite.http).post('/api/v1/provinces/hunan/qr-logins').expect(201)).body as { ticketId: string };
    await phone.post(`/api/v1/provinces/hunan/qr-logins/${next.ticketId}/approval`).expect(403);
  });

  it('QR login exists only where the profile offers it: Jilin answers LOGIN_METHOD_NOT_OFFERED', async () => {
    const res = await request(suite.http).post('/api/v1/provinces/jilin/qr-logins').expect(400);
    expect(res.body).toMatchObject({ code: 'LOGIN_METHOD_NOT_OFFERED' });
  });
});

describe('brute force (ASVS V6)', () => {
  it('after 30 failures the account is locked for 60 s, the answer says when to retry, even the right password waits, and every failure is audited', async () => {
    const unit = await registered('jilin');
    const attempt = async (password: string) => request(suite.http).post('/api/v1/provinces/jilin/sessions').send({ method: 'password', account: unit.unit.unitAccount, password, ...(await solvedCaptcha(suite.http, 'jilin')) });
    for (let i = 1; i < 30; i++) expect((await attempt(`Wrong#${i}`)).status).toBe(401);
    const thirtieth = await attempt('Wrong#30');
    expect(thirtieth.status).toBe(429);
    expect(thirtieth.body).toMatchObject({ code: 'LOGIN_LOCKED', retryAfterSeconds: 60, message: '登录失败次数过多，请 60 秒后再试' });
    expect(thirtieth.headers['retry-after']).toBe('60');
    const right = await attempt(str(unit.unit.unitPassword));
    expect(right.status).toBe(429);
    expect(Number((right.body as { retryAfterSeconds: number }).retryAfterSeconds)).toBeLessThanOrEqual(60);

    const db = suite.testApp.app.get(DataSource);
    const kinds = await db.query<Array<{ kind: string; n: string }>>(`SELECT kind, count(*) AS n FROM audit_events WHERE province_id = 'jilin' AND actor_id = $1 GROUP BY kind ORDER BY kind`, [unit.unitId]);
    expect(kinds).toEqual(expect.arrayContaining([{ kind: 'login.failed', n: '30' }, { kind: 'login.locked', n: '1' }]));
    // The trail is append-only, the app's own connection included.
    await expect(db.query(`DELETE FROM audit_events WHERE actor_id = $1`, [unit.unitId])).rejects.toThrow(/append-only/);
  });
});
