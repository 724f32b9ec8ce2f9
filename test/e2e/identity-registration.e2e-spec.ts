import request from 'supertest';
import { DataSource } from 'typeorm';
import { freshIdNumber, freshMobile, register, registrationBody, registrationDraft, seedRegistryUnit, smsCode, solvedCaptcha } from '#test/support/hall-journey.js';
import { ManualClock } from '#src/clock/clock.js';
import { useTestApp } from '#test/support/test-app.js';

// Moves only when told: a second SMS code to one phone waits out the 60 s send limit.
const clock = new ManualClock();
const suite = useTestApp({}, { clock });

interface FormSchema {
  required: string[];
  properties: {
    unit: { required: string[]; properties: Record<string, { title: string; format?: string; pattern?: string; minLength?: number; maxLength?: number }> };
    operator: { required: string[]; properties: Record<string, { title: string; format?: string; pattern?: string; minLength?: number; maxLength?: number; oneOf?: unknown[] }> };
  };
  'x-steps': Array<{ id: string; title: string }>;
}

async function form(province: string): Promise<FormSchema> {
  return (await request(suite.http).get(`/api/v1/provinces/${province}/registration-form`).expect(200)).body as FormSchema;
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const rows = await suite.testApp.app.get(DataSource).query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n);
}

describe('GET …/registration-form: the body schema built from the profile', () => {
  it('XZ-4: every Tibetan unit and operator field is required, with the operator fields of the manual and Tibet’s password rule (8-16, digits + letters + special)', async () => {
    const schema = await form('xizang');
    expect(schema.properties.unit.required).toEqual(Object.keys(schema.properties.unit.properties));
    expect(schema.properties.operator.required).toEqual(['name', 'idType', 'idNumber', 'idValidFrom', 'idValidTo', 'mobile', 'password', 'confirmPassword']);
    expect(Object.values(schema.properties.operator.properties).map((p) => p.title)).toEqual(['经办人姓名', '经办人证件类型', '证件号码', '证件有效起始日期', '证件有效截止日期', '经办人手机号', '经办人密码', '确认密码']);
    const password = schema.properties.operator.properties.password;
    expect(password).toMatchObject({ format: 'password', minLength: 8, maxLength: 16 });
    const pattern = new RegExp(password?.pattern ?? '', 'v');
    expect(pattern.test('Abcdef1!')).toBe(true);
    expect(pattern.test('Abcdefg1')).toBe(false);
    expect(pattern.test('Abcdefg1!Abcdefg1')).toBe(false);
    expect(schema.required).toEqual(['unit', 'operator', 'smsCode']);
  });

  it('formats: uscc, cn-id-number, cn-mobile, date and password carry their format; steps are unit → operator → done (N-5)', async () => {
    const schema = await form('hunan');
    expect(schema.properties.unit.properties.uscc).toMatchObject({ title: '统一社会信用代码', format: 'uscc', minLength: 18, maxLength: 18 });
    expect(schema.properties.operator.properties).toMatchObject({
      idNumber: { format: 'cn-id-number' },
      mobile: { format: 'cn-mobile' },
      idValidFrom: { format: 'date' },
      password: { format: 'password', minLength: 8, maxLength: 20 },
    });
    expect(schema['x-steps'].map((s) => s.id)).toEqual(['unit', 'operator', 'done']);
  });

  it('JL-2 and AH-2 ask for a graphic captcha besides the SMS code; Hunan and Tibet do not', async () => {
    expect((await form('jilin')).required).toEqual(['unit', 'operator', 'smsCode', 'captchaId', 'captcha']);
    expect((await form('anhui')).required).toEqual(['unit', 'operator', 'smsCode', 'captchaId', 'captcha']);
    expect((await form('hunan')).required).toEqual(['unit', 'operator', 'smsCode']);
  });
});

describe('POST …/registrations', () => {
  it('HN-3, HN-4: Hunan creates the administrator (管理员) and the operator (经办员) accounts in one go', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    const draft = registrationDraft(entry.uscc);
    const res = await register(suite.http, 'hunan', draft);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      unitAccount: draft.unit.unitAccount,
      operatorAccount: draft.operator.mobile,
      operatorExisted: false,
      accountsCreated: [
        { label: '管理员账号', account: draft.unit.unitAccount },
        { label: '经办员账号', account: draft.operator.mobile },
      ],
    });
    expect(await count('units', 'uscc = $1', [entry.uscc])).toBe(1);
    expect(await count('unit_operators b JOIN operators o ON o.id = b.operator_id', 'o.mobile = $1', [draft.operator.mobile])).toBe(1);
    const audited = await count('audit_events', `kind = 'registration.created' AND account = $1`, [draft.unit.unitAccount]);
    expect(audited).toBe(1);
  });

  it('JL-2: Jilin refuses a registration without its graphic captcha, on the captcha field', async () => {
    const entry = await seedRegistryUnit(suite, 'jilin');
    const draft = registrationDraft(entry.uscc);
    const smsCodeValue = await smsCode(suite.http, 'jilin', draft.operator.mobile ?? '');
    const res = await request(suite.http).post('/api/v1/provinces/jilin/registrations').send({ ...draft, smsCode: smsCodeValue }).expect(400);
    expect(res.body).toMatchObject({ code: 'REGISTRATION_INVALID', fields: { captchaId: '请先获取图形验证码', captcha: '请填写图形验证码' } });
  });

  it('checks each field on its own, in Chinese: credit-code check character, ID check digit and birth date, validity dates, mobile, password policy, confirmation, password ≠ account (XZ-4)', async () => {
    const entry = await seedRegistryUnit(suite, 'xizang');
    const valid = registrationDraft(entry.uscc);
    const badUscc = `${entry.uscc.slice(0, 17)}${entry.uscc.endsWith('0') ? '1' : '0'}`;
    const res = await request(suite.http)
      .post('/api/v1/provinces/xizang/registrations')
      .send({
        unit: { ...valid.unit, uscc: badUscc, unitPassword: valid.unit.unitAccount },
        operator: { ...valid.operator, idNumber: '11010519491231002Y', idValidFrom: '2020-02-30', mobile: '12345', password: 'abcdefgh1', confirmPassword: 'different' },
        smsCode: '000000',
      })
      .expect(400);
    const fields = (res.body as { fields: Record<string, string> }).fields;
    expect(fields['unit.uscc']).toMatch(/GB 32100-2015/);
    expect(fields['unit.unitPassword']).toMatch(/密码/);
    expect(fields['operator.idNumber']).toBeDefined();
    expect(fields['operator.idValidFrom']).toMatch(/有效日期/);
    expect(fields['operator.mobile']).toMatch(/11 位/);
    expect(fields['operator.password']).toMatch(/特殊字符/);
    expect(Object.keys(fields)).not.toContain('smsCode');
  });

  it('an ID card already expired, a validity that ends before it starts, a birth date that never was: each on its field', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    const draft = registrationDraft(entry.uscc);
    const send = (operator: Record<string, string>) =>
      request(suite.http)
        .post('/api/v1/provinces/hunan/registrations')
        .send({ unit: draft.unit, operator: { ...draft.operator, ...operator }, smsCode: '123456' })
        .then((r) => (r.body as { fields: Record<string, string> }).fields);
    expect((await send({ idValidFrom: '2010-01-01', idValidTo: '2020-01-01' }))['operator.idValidTo']).toMatch(/过期/);
    expect((await send({ idValidFrom: '2020-01-01', idValidTo: '2019-01-01' }))['operator.idValidTo']).toBeDefined();
    // 1985-02-30 with a right check digit: the birth date is checked, not only the check digit.
    const first17 = '11010519850230001';
    const { residentIdCheckDigit } = await import('#src/identity/checks/cn-id-number.js');
    expect((await send({ idNumber: first17 + residentIdCheckDigit(first17) }))['operator.idNumber']).toMatch(/出生日期/);
    expect((await send({ idType: 'passport', idNumber: 'E12345678' }))['operator.idNumber']).toBeUndefined();
    // Long-term ID cards end 长期: no error on the end date.
    expect(await send({ idValidFrom: '2015-01-01', idValidTo: '长期' })).not.toHaveProperty(['operator.idValidTo']);
  });

  it('N-4, JL-13, AH-5: a valid code that the national registry does not know cannot register; the answer links code.nhsa.gov.cn', async () => {
    const { freshUscc } = await import('#test/support/hall-journey.js');
    const draft = registrationDraft(freshUscc('340100'));
    const res = await register(suite.http, 'anhui', draft);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'UNIT_NOT_IN_NATIONAL_REGISTRY',
      fields: { 'unit.uscc': expect.stringContaining('国家医保信息业务编码标准数据库') as unknown },
      codeMaintenance: { url: 'https://code.nhsa.gov.cn' },
    });
    expect(await count('units', 'uscc = $1', [draft.unit.uscc])).toBe(0);
  });

  it('HN-4: a unit registers once per province — the second try gets the profile’s message, and the other province is unaffected', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    expect((await register(suite.http, 'hunan', registrationDraft(entry.uscc))).status).toBe(201);
    const again = await register(suite.http, 'hunan', registrationDraft(entry.uscc, { unit: { unitAccount: `other${entry.uscc.slice(-6).toLowerCase()}` } }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'UNIT_ALREADY_REGISTERED', message: '该社会信用代码已被注册', fields: { 'unit.uscc': '该社会信用代码已被注册' } });
    // A manufacturer sells in many provinces: Jilin registers it on its own.
    expect((await register(suite.http, 'jilin', registrationDraft(entry.uscc))).status).toBe(201);
  });

  it('XZ-3: in Tibet a unit with an account in another province is told 该企业已有单位账号信息 and to log in with it', async () => {
    const entry = await seedRegistryUnit(suite, 'xizang');
    expect((await register(suite.http, 'neimenggu', registrationDraft(entry.uscc))).status).toBe(201);
    const res = await register(suite.http, 'xizang', registrationDraft(entry.uscc));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'UNIT_ALREADY_REGISTERED', elsewhere: true, fields: { 'unit.uscc': '该企业已有单位账号信息' } });
    expect((res.body as { message: string }).message).toMatch(/^该企业已有单位账号信息。.*直接用该账号登录/);
  });

  it('XZ-3: the second registration of a Tibetan unit in Tibet says 该社会信用代码已被注册', async () => {
    const entry = await seedRegistryUnit(suite, 'xizang');
    expect((await register(suite.http, 'xizang', registrationDraft(entry.uscc))).status).toBe(201);
    const res = await register(suite.http, 'xizang', registrationDraft(entry.uscc));
    expect(res.body).toMatchObject({ code: 'UNIT_ALREADY_REGISTERED', message: '该社会信用代码已被注册', elsewhere: false });
  });

  it('JL-3: the unit account is the name the unit chose, unique in the province, and must not look like a mobile number', async () => {
    const first = await seedRegistryUnit(suite, 'jilin');
    const second = await seedRegistryUnit(suite, 'jilin');
    const chosen = `jl${first.uscc.slice(-8).toLowerCase()}`;
    expect((await register(suite.http, 'jilin', registrationDraft(first.uscc, { unit: { unitAccount: chosen } }))).status).toBe(201);
    const taken = await register(suite.http, 'jilin', registrationDraft(second.uscc, { unit: { unitAccount: chosen.toUpperCase() } }));
    expect(taken.body).toMatchObject({ code: 'UNIT_ACCOUNT_TAKEN', fields: { 'unit.unitAccount': '该单位账号已被使用' } });
    const digits = await request(suite.http).post('/api/v1/provinces/jilin/registrations').send({ ...registrationDraft(second.uscc, { unit: { unitAccount: '13800138000' } }) }).expect(400);
    expect((digits.body as { fields: Record<string, string> }).fields['unit.unitAccount']).toMatch(/字母开头/);
  });

  it('JL-3, JL-11: an operator who exists at another unit is bound only with their existing password, and their stored identity is kept', async () => {
    const first = await seedRegistryUnit(suite, 'jilin');
    const original = registrationDraft(first.uscc);
    expect((await register(suite.http, 'jilin', original)).status).toBe(201);

    const other = await seedRegistryUnit(suite, 'hunan');
    clock.advanceSeconds(61);
    const wrong = await register(suite.http, 'hunan', registrationDraft(other.uscc, { operator: { mobile: original.operator.mobile ?? '', password: 'Another#2025', name: '王五', idNumber: freshIdNumber() } }));
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ code: 'OPERATOR_PASSWORD_MISMATCH', fields: { 'operator.password': '该经办人账号已存在，请输入其原来的登录密码' } });
    expect(await count('units', 'uscc = $1', [other.uscc])).toBe(0);

    clock.advanceSeconds(61);
    const right = await register(suite.http, 'hunan', registrationDraft(other.uscc, { operator: { mobile: original.operator.mobile ?? '', password: original.operator.password ?? '', name: '王五', idNumber: freshIdNumber() } }));
    expect(right.status).toBe(201);
    expect(right.body).toMatchObject({ operatorExisted: true });
    const rows = await suite.testApp.app.get(DataSource).query<Array<{ name: string; id_number: string }>>(`SELECT name, id_number FROM operators WHERE mobile = $1`, [original.operator.mobile]);
    expect(rows).toEqual([{ name: original.operator.name, id_number: original.operator.idNumber }]);
    expect(await count('unit_operators b JOIN operators o ON o.id = b.operator_id', 'o.mobile = $1', [original.operator.mobile])).toBe(2);
  });

  it('the SMS code proves the operator’s phone: a wrong one refuses the registration and writes nothing', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    const draft = registrationDraft(entry.uscc);
    const body = await registrationBody(suite.http, 'hunan', draft);
    const wrongCode = body.smsCode === '000000' ? '111111' : '000000';
    const res = await request(suite.http).post('/api/v1/provinces/hunan/registrations').send({ ...body, smsCode: wrongCode }).expect(400);
    expect(res.body).toMatchObject({ code: 'SMS_CODE_WRONG', fields: { smsCode: '短信验证码错误' } });
    expect(await count('units', 'uscc = $1', [entry.uscc])).toBe(0);
    expect(await count('operators', 'mobile = $1', [draft.operator.mobile])).toBe(0);
  });

  it('a code sent to another phone does not register this operator', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    const draft = registrationDraft(entry.uscc);
    const otherPhone = freshMobile();
    const code = await smsCode(suite.http, 'hunan', otherPhone);
    const res = await request(suite.http).post('/api/v1/provinces/hunan/registrations').send({ ...draft, smsCode: code }).expect(400);
    expect(res.body).toMatchObject({ code: 'SMS_CODE_EXPIRED' });
  });

  it('AH-2: Anhui refuses a wrong graphic captcha before spending the SMS code', async () => {
    const entry = await seedRegistryUnit(suite, 'anhui');
    const draft = registrationDraft(entry.uscc);
    const body = await registrationBody(suite.http, 'anhui', draft);
    const { captchaId } = await solvedCaptcha(suite.http, 'anhui');
    const res = await request(suite.http).post('/api/v1/provinces/anhui/registrations').send({ ...body, captchaId, captcha: 'ZZZZ' }).expect(400);
    expect(res.body).toMatchObject({ code: 'CAPTCHA_WRONG' });
    // The SMS code is still good: the same body with its own captcha goes through.
    const retry = await request(suite.http).post('/api/v1/provinces/anhui/registrations').send({ ...body, ...(await solvedCaptcha(suite.http, 'anhui')) });
    expect(retry.status).toBe(201);
  });

  it('unknown keys and wrong types are refused on their field; nothing is written', async () => {
    const res = await request(suite.http)
      .post('/api/v1/provinces/hunan/registrations')
      .send({ unit: { uscc: 42, extra: 'x' }, operator: [], smsCode: '1', hack: true })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'REGISTRATION_INVALID', fields: { hack: '不支持的字段', 'unit.extra': '不支持的字段', 'unit.uscc': '统一社会信用代码格式有误', operator: '格式有误', smsCode: '短信验证码为 6 位数字' } });
  });
});
