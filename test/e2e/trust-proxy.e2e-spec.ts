/** Behind a trusted reverse proxy (TRUST_PROXY), per-IP limits count the real client address. */
import request from 'supertest';
import { useTestApp } from '#test/support/test-app.js';

let seq = 0;

const suite = useTestApp({ trustProxy: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });

async function sendFrom(client: string): Promise<request.Response> {
  seq += 1;
  const { captchaId } = (await request(suite.http).get('/api/v1/provinces/neimenggu/captcha').expect(200)).body as { captchaId: string };
  const { answer } = (await request(suite.http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200)).body as { answer: string };
  const phone = `1360000${String(seq).padStart(4, '0')}`;
  return request(suite.http).post('/api/v1/provinces/neimenggu/sms-codes').set('x-forwarded-for', client).send({ phone, purpose: 'add-operator', captchaId, captcha: answer });
}

describe('TRUST_PROXY', () => {
  it('NM-2 gives each client behind the proxy its own per-IP budget (30 per hour in Inner Mongolia)', async () => {
    for (let i = 0; i < 30; i++) expect((await sendFrom('198.51.100.7')).status).toBe(202);
    expect((await sendFrom('198.51.100.7')).body).toMatchObject({ code: 'SMS_IP_LIMITED' });
    expect((await sendFrom('198.51.100.8')).status).toBe(202);
  });
});
