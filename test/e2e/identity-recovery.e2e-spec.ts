import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { codeIn, login, outboxTexts, register, registrationDraft, seedRegistryUnit, solvedCaptcha, type RegistrationDraft } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const str = (value: string | undefined): string => value ?? '';

async function registered(province: string): Promise<RegistrationDraft> {
  const entry = await seedRegistryUnit(suite, province);
  const draft = registrationDraft(entry.uscc);
  expect((await register(suite.http, province, draft)).status).toBe(201);
  return draft;
}

/** The unit fields as registered, but the password: what 按注册时的单位信息找回 asks for (JL-7). */
function unitInfo(draft: RegistrationDraft): Record<string, string> {
  const { unitPassword: _password, ...rest } = draft.unit;
  return rest;
}

const NEW_PASSWORD = 'Renewed#2026';

describe('单位用户查询 (JL-6)', () => {
  it('JL-6: Jilin finds the unit account by credit code behind a captcha; a code not registered here says so', async () => {
    const draft = await registered('jilin');
    const found = await request(suite.http)
      .post('/api/v1/provinces/jilin/unit-account-lookups')
      .send({ uscc: str(draft.unit.uscc).toLowerCase(), ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(200);
    expect(found.body).toEqual({ accountName: draft.unit.unitAccount, unitName: draft.unit.unitName });

    const other = await seedRegistryUnit(suite, 'jilin');
    const missing = await request(suite.http)
      .post('/api/v1/provinces/jilin/unit-account-lookups')
      .send({ uscc: other.uscc, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'UNIT_NOT_REGISTERED_HERE', message: '未查询到该信用代码的单位账号：该单位尚未在本省注册' });
  });

  it('JL-6: provinces whose manual has no lookup do not offer it', async () => {
    const res = await request(suite.http)
      .post('/api/v1/provinces/hunan/unit-account-lookups')
      .send({ uscc: 'X', ...(await solvedCaptcha(suite.http, 'hunan')) })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'RECOVERY_NOT_OFFERED' });
  });
});

describe('忘记密码 (JL-7)', () => {
  it('JL-7: by the registration’s unit details, matching exactly; every session of the unit account ends', async () => {
    const draft = await registered('jilin');
    const agent = request.agent(suite.http);
    await login(agent, suite.http, 'jilin', str(draft.unit.unitAccount), str(draft.unit.unitPassword));
    await agent.get('/api/v1/provinces/jilin/session').expect(200);

    const wrong = await request(suite.http)
      .post('/api/v1/provinces/jilin/password-resets')
      .send({ method: 'unit-info', account: draft.unit.unitAccount, unit: { ...unitInfo(draft), address: `${str(draft.unit.address)}附近` }, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(400);
    expect(wrong.body).toMatchObject({ code: 'RECOVERY_NO_MATCH', message: '填写的单位信息与注册时不一致' });
    const unknown = await request(suite.http)
      .post('/api/v1/provinces/jilin/password-resets')
      .send({ method: 'unit-info', account: 'nobodyhere', unit: unitInfo(draft), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(400);
    expect(unknown.body).toEqual(wrong.body);

    const done = await request(suite.http)
      .post('/api/v1/provinces/jilin/password-resets')
      .send({ method: 'unit-info', account: draft.unit.unitAccount, unit: unitInfo(draft), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(200);
    expect(done.body).toEqual({ accountName: draft.unit.unitAccount, sessionsEnded: 1 });
    await agent.get('/api/v1/provinces/jilin/session').expect(401);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', str(draft.unit.unitAccount), str(draft.unit.unitPassword))).status).toBe(401);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', str(draft.unit.unitAccount), NEW_PASSWORD)).status).toBe(201);
  });

  it('JL-7: by credit code + an SMS code sent to the mobile verified at registration (shown masked)', async () => {
    const draft = await registered('jilin');
    clock.advanceSeconds(61);
    const sent = await request(suite.http)
      .post('/api/v1/provinces/jilin/password-resets/sms-codes')
      .send({ uscc: draft.unit.uscc, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(202);
    const mobile = str(draft.operator.mobile);
    expect(sent.body).toMatchObject({ phone: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, expiresInSeconds: 300 });
    const texts = await outboxTexts(suite.http, mobile, 2);
    const code = codeIn(texts[0]);

    const weak = await request(suite.http).post('/api/v1/provinces/jilin/password-resets').send({ method: 'credit-code', uscc: draft.unit.uscc, smsCode: code, newPassword: 'short', confirmPassword: 'short' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'RECOVERY_INVALID', fields: { newPassword: expect.stringMatching(/密码长度/) as unknown } });
    await request(suite.http).post('/api/v1/provinces/jilin/password-resets').send({ method: 'credit-code', uscc: draft.unit.uscc, smsCode: code, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).expect(200);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', str(draft.unit.unitAccount), NEW_PASSWORD)).status).toBe(201);
    const replay = await request(suite.http).post('/api/v1/provinces/jilin/password-resets').send({ method: 'credit-code', uscc: draft.unit.uscc, smsCode: code, newPassword: 'Another#2026', confirmPassword: 'Another#2026' }).expect(400);
    expect(replay.body).toMatchObject({ code: 'SMS_CODE_EXPIRED' });
  });

  it('JL-7: only the unit account: an operator’s mobile is refused with the manual’s pointer to the unit account', async () => {
    const draft = await registered('jilin');
    const res = await request(suite.http)
      .post('/api/v1/provinces/jilin/password-resets')
      .send({ method: 'unit-info', account: draft.operator.mobile, unit: {}, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...(await solvedCaptcha(suite.http, 'jilin')) })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'RECOVERY_NOT_FOR_OPERATORS' });
  });

  it('a method the province does not list is refused: Hunan resets only by unit details', async () => {
    const res = await request(suite.http).post('/api/v1/provinces/hunan/password-resets').send({ method: 'credit-code', uscc: 'X', smsCode: '123456' }).expect(400);
    expect(res.body).toMatchObject({ code: 'RECOVERY_NOT_OFFERED', message: '本省未提供该找回方式（可用：按注册时的单位信息找回）' });
  });
});
