/**
 * One client cannot fill the database with screenshots: ten accepted feedbacks per province and
 * address in ten minutes, then a Chinese "too frequent" page with Retry-After. Time is moved by a
 * ManualClock, never waited for.
 */
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { tinyPng } from '#test/fixtures/images.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock(new Date('2025-11-26T02:00:00Z'));

const suite = useTestApp({}, { clock });

async function send(): Promise<request.Response> {
  const form = await request(suite.http).get('/anhui/feedback').set('Accept', 'text/html').expect(200);
  const cookie = [form.headers['set-cookie'] ?? []].flat().map((c) => c.split(';', 1)[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  let req = request(suite.http).post('/anhui/feedback').set('Accept', 'text/html').set('Cookie', cookie).field('_csrf', token);
  for (const [key, value] of Object.entries({ institutionName: '合肥市第一人民医院', legacyAccount: 'hf001', description: '无法登录', reporterName: '张三', reporterContact: '13800138000' })) {
    req = req.field(key, value);
  }
  return req.attach('legacyAccountScreenshot', tinyPng(), 'a.png').attach('problemScreenshot', tinyPng(), 'b.png');
}

describe('feedback submission limits', () => {
  it('accepts ten in ten minutes, refuses the eleventh with a Chinese page, and accepts again once the window has passed', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await send()).status).toBe(201);
      clock.advanceSeconds(30);
    }
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('操作过于频繁');
    expect(refused.text).toContain('提交过于频繁，请稍后再试');
    expect(Number(refused.headers['retry-after'])).toBe(300);
    clock.advanceSeconds(301);
    expect((await send()).status).toBe(201);
  });
});
