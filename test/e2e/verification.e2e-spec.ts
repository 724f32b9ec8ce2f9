import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { servicesMode, useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock(new Date('2025-03-01T08:00:00Z'));
let phoneSeq = 0;

const suite = useTestApp({}, { clock });

/** A phone no other test uses: limits are per phone, and tests share one database. */
function freshPhone(): string {
  phoneSeq += 1;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`;
}

async function solvedCaptcha(province = 'hunan'): Promise<{ captchaId: string; captcha: string }> {
  const issued = await request(suite.http).get(`/api/v1/provinces/${province}/captcha`).expect(200);
  const { captchaId } = issued.body as { captchaId: string };
  const dev = await request(suite.http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200);
  return { captchaId, captcha: (dev.body as { answer: string }).answer };
}

async function requestCode(phone: string, purpose = 'registration', province = 'hunan'): Promise<request.Response> {
  return request(suite.http).post(`/api/v1/provinces/${province}/sms-codes`).send({ phone, purpose, ...(await solvedCaptcha(province)) });
}

/** The outbox fills asynchronously (queue → worker → provider): poll with a deadline, no sleeps for timing. */
async function outboxText(phone: string, count = 1, deadlineMs = 10_000): Promise<string[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await request(suite.http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200);
    const texts = (res.body as Array<{ text: string }>).map((m) => m.text);
    if (texts.length >= count) return texts;
    if (Date.now() > until) throw new Error(`outbox for ${phone} has ${texts.length} of ${count} messages after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const codeIn = (text: string | undefined): string => /\d{6}/.exec(text ?? '')?.[0] ?? '';
const verify = (phone: string, code: string, purpose = 'registration', province = 'hunan') =>
  request(suite.http).post('/api/v1/dev/sms-codes/verify').send({ province, phone, purpose, code });

describe('GET /api/v1/provinces/{id}/captcha', () => {
  it('answers {captchaId, svg} drawn by the library, not cached', async () => {
    const res = await request(suite.http).get('/api/v1/provinces/hunan/captcha').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ captchaId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, expiresInSeconds: 120 });
    expect((res.body as { svg: string }).svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<path/);
  });

  it('404s for an unknown province', async () => {
    const res = await request(suite.http).get('/api/v1/provinces/atlantis/captcha').expect(404);
    expect(res.body).toMatchObject({ code: 'PROVINCE_NOT_FOUND' });
  });
});

describe('POST /api/v1/provinces/{id}/sms-codes', () => {
  it('a Hunan code reaches the outbox signed 【湖南医保】, verifies once, and fails the second time', async () => {
    const phone = freshPhone();
    const res = await requestCode(phone);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ resendAfterSeconds: 60, expiresInSeconds: 300 });
    const [text] = await outboxText(phone);
    expect(text).toMatch(/^【湖南医保】您正在注册医保网上服务大厅，验证码 \d{6}，5 分钟内有效/);
    await verify(phone, codeIn(text)).expect(200, { verified: true });
    const again = await verify(phone, codeIn(text)).expect(400);
    expect(again.body).toMatchObject({ code: 'SMS_CODE_EXPIRED', message: '短信验证码已过期或已使用，请重新获取' });
  });

  it('refuses the sixth send inside an hour with 429 and Retry-After (DESIGN: 5 per hour per phone)', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 5; i++) {
      await requestCode(phone).then((res) => expect(res.status).toBe(202));
      clock.advanceSeconds(61);
    }
    const sixth = await requestCode(phone);
    expect(sixth.status).toBe(429);
    expect(sixth.body).toMatchObject({ code: 'SMS_PHONE_LIMITED', retryAfterSeconds: 3600 - 5 * 61 });
    expect(sixth.headers['retry-after']).toBe(String(3600 - 5 * 61));
    expect((sixth.body as { message: string }).message).toMatch(/^该手机号获取验证码过于频繁，请 \d+ 分钟后再试$/);
    // Let the worker deliver before time jumps past the codes' lifetime (it would drop them as expired).
    expect(await outboxText(phone, 5)).toHaveLength(5);
    clock.advanceSeconds(3600);
  });

  it('refuses a second send within 60 s, whatever the purpose, and allows it after', async () => {
    const phone = freshPhone();
    expect((await requestCode(phone, 'registration')).status).toBe(202);
    clock.advanceSeconds(30);
    const early = await requestCode(phone, 'add-operator');
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    clock.advanceSeconds(30);
    expect((await requestCode(phone, 'add-operator')).status).toBe(202);
    expect(await outboxText(phone, 2)).toHaveLength(2);
    clock.advanceSeconds(3600);
  });

  it('XZ-4 a wrong graphic captcha is refused, and the captcha cannot be tried again', async () => {
    const { captchaId } = await solvedCaptcha('xizang');
    const phone = freshPhone();
    const wrong = await request(suite.http).post('/api/v1/provinces/xizang/sms-codes').send({ phone, purpose: 'registration', captchaId, captcha: '0000' }).expect(400);
    expect(wrong.body).toMatchObject({ code: 'CAPTCHA_WRONG', message: '图形验证码错误，请重新获取后再试', fields: { captcha: '图形验证码错误' } });
    const reused = await request(suite.http).post('/api/v1/provinces/xizang/sms-codes').send({ phone, purpose: 'registration', captchaId, captcha: '0000' }).expect(400);
    expect(reused.body).toMatchObject({ code: 'CAPTCHA_EXPIRED' });
  });

  it('accepts the captcha answer in any case, once; refuses it after two minutes', async () => {
    const lower = await solvedCaptcha();
    await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: freshPhone(), purpose: 'registration', ...lower, captcha: lower.captcha.toLowerCase() }).expect(202);
    const upper = await solvedCaptcha();
    await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: freshPhone(), purpose: 'registration', ...upper, captcha: upper.captcha.toUpperCase() }).expect(202);
    const late = await solvedCaptcha();
    clock.advanceSeconds(121);
    const res = await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: freshPhone(), purpose: 'registration', ...late }).expect(400);
    expect(res.body).toMatchObject({ code: 'CAPTCHA_EXPIRED' });
  });

  it('binds a captcha to its province', async () => {
    const hunan = await solvedCaptcha('hunan');
    const res = await request(suite.http).post('/api/v1/provinces/anhui/sms-codes').send({ phone: freshPhone(), purpose: 'registration', ...hunan }).expect(400);
    expect(res.body).toMatchObject({ code: 'CAPTCHA_EXPIRED' });
  });

  it('refuses a bad phone, a missing field and a purpose the province does not use, with codes and fields', async () => {
    const bad = await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: '12345', purpose: 'registration', ...(await solvedCaptcha()) }).expect(400);
    expect(bad.body).toMatchObject({ code: 'PHONE_INVALID', fields: { phone: '手机号格式不正确' } });
    const missing = await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: freshPhone() }).expect(400);
    expect(missing.body).toMatchObject({ code: 'VERIFICATION_REQUEST_INVALID', fields: { purpose: '请指明用途', captchaId: '请先获取图形验证码', captcha: '请填写图形验证码' } });
    const login = await request(suite.http).post('/api/v1/provinces/hunan/sms-codes').send({ phone: freshPhone(), purpose: 'login', ...(await solvedCaptcha()) }).expect(400);
    expect(login.body).toMatchObject({ code: 'SMS_PURPOSE_NOT_AVAILABLE', purposes: ['registration', 'add-operator', 'password-reset'] });
    expect((login.body as { message: string }).message).toContain('湖南省未开通用途“login”');
  });

  it('AH-2 five wrong codes kill it: the right one no longer works', async () => {
    const phone = freshPhone();
    await requestCode(phone, 'registration', 'anhui').then((res) => expect(res.status).toBe(202));
    const [text] = await outboxText(phone);
    expect(text).toMatch(/^【安徽医保】/);
    const right = codeIn(text);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const res = await verify(phone, wrong, 'registration', 'anhui').expect(400);
      expect(res.body).toMatchObject({ code: 'SMS_CODE_WRONG', attemptsLeft: left, message: `短信验证码错误，还可尝试 ${left} 次` });
    }
    await verify(phone, wrong, 'registration', 'anhui').expect(400).expect((res) => expect(res.body).toMatchObject({ code: 'SMS_CODE_LOCKED' }));
    await verify(phone, right, 'registration', 'anhui').expect(400).expect((res) => expect(res.body).toMatchObject({ code: 'SMS_CODE_EXPIRED' }));
    clock.advanceSeconds(61);
  });

  it('binds a code to its purpose and province, and expires it after five minutes', async () => {
    const phone = freshPhone();
    await requestCode(phone, 'password-reset').then((res) => expect(res.status).toBe(202));
    const code = codeIn((await outboxText(phone))[0]);
    await verify(phone, code, 'registration').expect(400);
    await verify(phone, code, 'password-reset', 'anhui').expect(400);
    clock.advanceSeconds(301);
    await verify(phone, code, 'password-reset').expect(400).expect((res) => expect(res.body).toMatchObject({ code: 'SMS_CODE_EXPIRED' }));
  });

  it('a new code replaces the previous one for the same purpose', async () => {
    const phone = freshPhone();
    await requestCode(phone).then((res) => expect(res.status).toBe(202));
    const first = codeIn((await outboxText(phone))[0]);
    clock.advanceSeconds(61);
    await requestCode(phone).then((res) => expect(res.status).toBe(202));
    const second = codeIn((await outboxText(phone, 2))[0]);
    if (first !== second) await verify(phone, first).expect(400);
    await verify(phone, second).expect(200);
  });

  it('stores no plaintext code: not in sms_codes, not in the queued message once sent', async () => {
    const phone = freshPhone();
    await requestCode(phone).then((res) => expect(res.status).toBe(202));
    const code = codeIn((await outboxText(phone))[0]);
    const db = suite.testApp.app.get<import('typeorm').DataSource>((await import('@nestjs/typeorm')).getDataSourceToken());
    const codes = await db.query<Array<{ code_hash: Uint8Array }>>(`SELECT code_hash FROM sms_codes WHERE phone = $1`, [phone]);
    expect(Buffer.from(codes[0]?.code_hash ?? []).length).toBe(32);
    expect(Buffer.from(codes[0]?.code_hash ?? []).toString('latin1')).not.toContain(code);
    const messages = await db.query<Array<{ status: string; payload: Uint8Array | null; attempts: number; provider: string; provider_message_id: string }>>(
      `SELECT status, payload, attempts, provider, provider_message_id FROM sms_messages WHERE phone = $1`,
      [phone],
    );
    expect(messages).toEqual([{ status: 'sent', payload: null, attempts: 1, provider: 'outbox', provider_message_id: expect.stringMatching(/^outbox-\d+$/) as unknown }]);
    clock.advanceSeconds(61);
  });
});

describe('per-IP limit', () => {
  it("NM-2 refuses the 31st send from one address within an hour (Inner Mongolia's profile: 30 per hour per IP)", async () => {
    for (let i = 0; i < 30; i++) expect((await requestCode(freshPhone(), 'add-operator', 'neimenggu')).status).toBe(202);
    const res = await requestCode(freshPhone(), 'add-operator', 'neimenggu');
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'SMS_IP_LIMITED', message: expect.stringMatching(/^当前网络获取验证码过于频繁/) as unknown });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3500);
    // No proxy is trusted here, so a forged X-Forwarded-For buys no fresh budget.
    const forged = await request(suite.http).post('/api/v1/provinces/neimenggu/sms-codes').set('x-forwarded-for', '203.0.113.9').send({ phone: freshPhone(), purpose: 'add-operator', ...(await solvedCaptcha('neimenggu')) });
    expect(forged.body).toMatchObject({ code: 'SMS_IP_LIMITED' });
    // Other provinces keep their own budget.
    expect((await requestCode(freshPhone(), 'registration', 'jilin')).status).toBe(202);
  });
});

describe('queue adapter', () => {
  it(`runs on ${servicesMode() ? 'BullMQ (Redis)' : 'the in-process queue'}`, async () => {
    const res = await request(suite.http).get('/health').expect(200);
    expect(res.body).toMatchObject({ queue: { adapter: servicesMode() ? 'bullmq' : 'inline', status: 'up', depth: { failed: 0 } } });
    expect((res.body as { queue: { messages24h: { sent: number } } }).queue.messages24h.sent).toBeGreaterThan(0);
  });
});
