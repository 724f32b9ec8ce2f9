import request from 'supertest';
import { servicesMode, TEST_ADMIN_TOKEN, useTestApp } from '#test/support/test-app.js';


const suite = useTestApp();

async function sendCode(phone: string): Promise<void> {
  const { captchaId } = (await request(suite.http).get('/api/v1/provinces/jilin/captcha').expect(200)).body as { captchaId: string };
  const { answer } = (await request(suite.http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200)).body as { answer: string };
  await request(suite.http).post('/api/v1/provinces/jilin/sms-codes').send({ phone, purpose: 'registration', captchaId, captcha: answer }).expect(202);
}

async function waitForOutbox(phone: string): Promise<Array<{ text: string; signName: string; provinceId: string; purpose: string }>> {
  const until = Date.now() + 10_000;
  for (;;) {
    const res = await request(suite.http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200);
    const rows = res.body as Array<{ text: string; signName: string; provinceId: string; purpose: string }>;
    if (rows.length > 0 || Date.now() > until) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('dev tools (DEV_TOOLS=true)', () => {
  it('JL-2 the outbox shows the rendered text per phone, newest first, with province and purpose', async () => {
    await sendCode('13700000001');
    const [message] = await waitForOutbox('13700000001');
    expect(message).toMatchObject({ provinceId: 'jilin', purpose: 'registration', signName: '吉林医保', text: expect.stringMatching(/^【吉林医保】.*\d{6}/) as unknown });
  });

  it('JL-2 the dev outbox page shows the text a phone received, in a Chinese page', async () => {
    await sendCode('13700000009');
    await waitForOutbox('13700000009');
    const page = await request(suite.http).get('/dev/sms-outbox?phone=13700000009').expect(200).expect('content-type', /text\/html/);
    expect(page.text).toContain('开发发件箱');
    expect(page.text).toMatch(/<td>13700000009<\/td><td>注册<\/td><td>【吉林医保】[^<]*\d{6}/);
    expect(page.text).not.toContain('13700000001');
  });

  it('answers an unknown or used captcha with 404', async () => {
    await request(suite.http).get('/api/v1/dev/captchas/00000000-0000-4000-8000-000000000000').expect(404);
    await request(suite.http).get('/api/v1/dev/captchas/not-a-uuid').expect(404);
  });
});

describe('dev tools off', () => {
  const off = useTestApp({ devTools: false });

  it('hides every /api/v1/dev route behind a plain 404', async () => {
    const server = off.http;
    for (const path of ['/api/v1/dev/sms-outbox?phone=13700000001', '/api/v1/dev/captchas/00000000-0000-4000-8000-000000000000']) {
      const res = await request(server).get(path).expect(404);
      expect(res.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: '未找到该地址' });
    }
    await request(server).post('/api/v1/dev/sms-codes/verify').send({}).expect(404);
    await request(server).get('/dev/sms-outbox').expect(404);
  });
});

describe('operations', () => {
  it('publishes queue depth and delivery counts as Prometheus metrics, behind the admin token', async () => {
    await sendCode('13700000002');
    await waitForOutbox('13700000002');
    await request(suite.http).get('/metrics').expect(401);
    const res = await request(suite.http).get('/metrics').set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^sms_queue_jobs\{state="waiting"\} \d+$/m);
    expect(res.text).toMatch(/^sms_messages_24h\{status="sent"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^sms_delivery_attempts_total\{provider="outbox",outcome="sent"\} [1-9]\d*$/m);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it(servicesMode() ? 'serves Bull Board at /admin/queues to administrators only' : 'has no Bull Board without BullMQ', async () => {
    if (!servicesMode()) {
      await request(suite.http).get('/admin/queues').expect(404);
      return;
    }
    const anonymous = await request(suite.http).get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
    await request(suite.http).get('/admin/queues').auth('admin', 'wrong-token-xxxxxxxx').expect(401);
    const page = await request(suite.http).get('/admin/queues').auth('admin', TEST_ADMIN_TOKEN).expect(200);
    expect(page.text).toContain('<div id="root">');
    const api = await request(suite.http).get('/admin/queues/api/queues').set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    expect(JSON.stringify(api.body)).toContain('"name":"sms"');
  });
});
