/**
 * Feedback through the portal (AH-8): the form with exactly Anhui's fields, CSRF, screenshots
 * sniffed and size-limited, stored per province with a reference number, read back by the
 * province's administrators.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { tinyJpeg, tinyPng } from '#test/fixtures/images.js';
import { TEST_ADMIN_TOKEN, useTestApp } from '#test/support/test-app.js';


const suite = useTestApp();

interface FormSession {
  cookie: string;
  token: string;
  html: string;
}

/** Opens the feedback page as a browser would: its CSRF cookie and the token in the form. */
async function openForm(province: string): Promise<FormSession> {
  const res = await request(suite.http).get(`/${province}/feedback`).set('Accept', 'text/html').expect(200);
  const cookie = [res.headers['set-cookie'] ?? []].flat().map((c) => c.split(';', 1)[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
  return { cookie, token, html: res.text };
}

const TEXT = {
  institutionName: '合肥市第一人民医院',
  legacyAccount: 'hf-yy-001',
  description: '登录原招采平台后提示“账号不存在”。',
  reporterName: '张三',
  reporterContact: '13800138000',
};

function submit(province: string, session: FormSession, options: { token?: string; text?: Partial<typeof TEXT>; png?: Buffer; jpeg?: Buffer } = {}) {
  let req = request(suite.http).post(`/${province}/feedback`).set('Accept', 'text/html').set('Cookie', session.cookie).field('_csrf', options.token ?? session.token);
  for (const [key, value] of Object.entries({ ...TEXT, ...options.text })) req = req.field(key, value);
  return req
    .attach('legacyAccountScreenshot', options.png ?? tinyPng(), { filename: '原平台账号.png', contentType: 'image/png' })
    .attach('problemScreenshot', options.jpeg ?? tinyJpeg(), { filename: 'problem.jpg', contentType: 'image/jpeg' });
}

const admin = (path: string) => request(suite.http).get(path).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);

async function feedbackCount(): Promise<number> {
  const rows: Array<{ n: string }> = await suite.testApp.app.get(DataSource).query('SELECT count(*) AS n FROM feedback');
  return Number(rows[0]?.n);
}

describe('the feedback form', () => {
  it('AH-8: has exactly Anhui’s seven fields, screenshots as PNG/JPEG uploads, and a CSRF token', async () => {
    const { html, cookie, token } = await openForm('anhui');
    const labels = [...html.matchAll(/<label for="f-[^"]+">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['机构名称', '原招采平台账号', '原招采平台账号截图（含网址）', '问题描述', '问题截图', '反馈人姓名', '反馈人联系方式']);
    expect(html.match(/type="file" accept="image\/png,image\/jpeg" required/g)).toHaveLength(2);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(cookie).toMatch(/^_csrf=/);
    expect(token.length).toBeGreaterThan(20);
  });
});

describe('submitting feedback', () => {
  it('AH-8: stores the answers and both screenshots and shows the sender a reference number', async () => {
    const session = await openForm('anhui');
    const res = await submit('anhui', session).expect(201);
    const reference = /data-reference="([^"]+)"/.exec(res.text)?.[1] ?? '';
    expect(reference).toMatch(/^FK\d{8}-[2-9A-HJKMNP-Z]{6}$/);
    expect(res.text).toContain('反馈已提交');
    expect(res.text).toContain('已收到截图 2 张。');

    const stored = await admin(`/api/v1/admin/provinces/anhui/feedback/${reference}`).expect(200);
    expect(stored.body).toMatchObject({
      reference,
      answers: [
        { fieldId: 'institutionName', label: '机构名称', value: '合肥市第一人民医院' },
        { fieldId: 'legacyAccount', label: '原招采平台账号', value: 'hf-yy-001' },
        { fieldId: 'description', label: '问题描述', value: '登录原招采平台后提示“账号不存在”。' },
        { fieldId: 'reporterName', label: '反馈人姓名', value: '张三' },
        { fieldId: 'reporterContact', label: '反馈人联系方式', value: '13800138000' },
      ],
      attachments: [
        { fieldId: 'legacyAccountScreenshot', fileName: '原平台账号.png', mediaType: 'image/png', sizeBytes: tinyPng().length },
        { fieldId: 'problemScreenshot', fileName: 'problem.jpg', mediaType: 'image/jpeg', sizeBytes: tinyJpeg().length },
      ],
    });
    const [png] = (stored.body as { attachments: Array<{ id: string }> }).attachments;
    const download = await admin(`/api/v1/admin/provinces/anhui/feedback/${reference}/attachments/${png?.id ?? ''}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect((download.body as Buffer).equals(tinyPng())).toBe(true);
  });

  it('refuses a post without the form’s CSRF token, with a Chinese page, and stores nothing', async () => {
    const before = await feedbackCount();
    const session = await openForm('anhui');
    const res = await submit('anhui', session, { token: 'forged' }).expect(403);
    expect(res.text).toContain('提交未通过安全校验');
    const noCookie = await submit('anhui', { ...session, cookie: '' }).expect(403);
    expect(noCookie.text).toContain('提交未通过安全校验');
    expect(await feedbackCount()).toBe(before);
  });

  it('refuses a screenshot that is not PNG or JPEG by content, keeping what was typed', async () => {
    const before = await feedbackCount();
    const session = await openForm('anhui');
    const res = await submit('anhui', session, { png: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }).expect(422);
    expect(res.text).toContain('原招采平台账号截图（含网址）只能是 PNG 或 JPEG 图片');
    expect(res.text).toContain('value="hf-yy-001"');
    expect(res.text).toContain('提交的内容有误');
    expect(await feedbackCount()).toBe(before);
  });

  it('refuses a screenshot over 2 MB and missing required fields', async () => {
    const session = await openForm('anhui');
    const big = Buffer.concat([tinyPng(), Buffer.alloc(2 * 1024 * 1024)]);
    const res = await submit('anhui', session, { png: big, text: { reporterName: '' } }).expect(422);
    expect(res.text).toContain('原招采平台账号截图（含网址）不能超过 2 MB');
    expect(res.text).toContain('请填写反馈人姓名');
  });

  it('escapes what a sender typed when the form comes back', async () => {
    const session = await openForm('anhui');
    const res = await submit('anhui', session, { text: { institutionName: '"><script>alert(1)</script>', reporterName: '' } }).expect(422);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('AH-8 is Anhui’s feedback format: a province without a feedback form (Tibet) refuses posts', async () => {
    const session = await openForm('xizang');
    const res = await request(suite.http).post('/xizang/feedback').set('Accept', 'text/html').set('Cookie', session.cookie).type('form').send({ _csrf: session.token }).expect(403);
    // No form on the page, so no token: the CSRF check refuses first.
    expect(res.text).toContain('提交未通过安全校验');
    const anhui = await openForm('anhui');
    const posted = await request(suite.http).post('/xizang/feedback').set('Accept', 'text/html').set('Cookie', anhui.cookie).type('form').send({ _csrf: anhui.token }).expect(404);
    expect(posted.text).toContain('本省未开通在线问题反馈');
  });
});

describe('reading feedback (province administrators)', () => {
  it('requires the admin token', async () => {
    await request(suite.http).get('/api/v1/admin/provinces/anhui/feedback').expect(401);
  });

  it('keeps provinces apart: Anhui’s feedback is not visible under Hunan', async () => {
    const session = await openForm('anhui');
    const reference = /data-reference="([^"]+)"/.exec((await submit('anhui', session).expect(201)).text)?.[1] ?? '';
    const anhui = await admin('/api/v1/admin/provinces/anhui/feedback').expect(200);
    expect((anhui.body as Array<{ reference: string }>).map((f) => f.reference)).toContain(reference);
    expect(await admin('/api/v1/admin/provinces/hunan/feedback').expect(200)).toHaveProperty('body', []);
    expect((await admin(`/api/v1/admin/provinces/hunan/feedback/${reference}`).expect(404)).body).toMatchObject({ code: 'FEEDBACK_NOT_FOUND' });
    const rows: Array<{ province_id: string }> = await suite.testApp.app.get(DataSource).query('SELECT DISTINCT province_id FROM feedback_attachments');
    expect(rows).toEqual([{ province_id: 'anhui' }]);
  });
});
