/**
 * Tenancy beyond the path: a province reached by a host its profile lists, and a sixth province
 * added as one YAML file — no template, no code — getting a working branded portal.
 */
import type { Server } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { scaffoldProvince } from '#src/profiles/profile-scaffold.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

let dir: string;
let testApp: TestApp;
let http: Server;

const HUNAN_HOST = 'hall.hunan.test';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portal-tenancy-'));
  await cp('provinces', dir, { recursive: true });
  const hunan = await readFile(join(dir, 'hunan.yaml'), 'utf8');
  await writeFile(join(dir, 'hunan.yaml'), hunan.replace('authority: 湖南省医疗保障局\n', `authority: 湖南省医疗保障局\nhosts: [${HUNAN_HOST}]\n`));
  await writeFile(join(dir, 'guangdong.yaml'), scaffoldProvince({ id: 'guangdong', code: '440000', name: '广东省' }).text);
  testApp = await startTestApp({ profilesDir: dir });
  http = testApp.app.getHttpAdapter().getInstance().server;
});

afterAll(async () => {
  await testApp.close();
  await rm(dir, { recursive: true, force: true });
});

const onHost = (path: string, host = HUNAN_HOST) => request(http).get(path).set('Host', host).set('Accept', 'text/html');

describe('a province on its own host', () => {
  it('serves the hall at / with links at the root and no province chooser', async () => {
    const res = await onHost('/').expect(200);
    expect(res.text).toContain('<span class="portal-title">湖南省医疗保障局网上服务大厅</span>');
    expect(res.text).toContain('href="/support"');
    expect(res.text).not.toContain('href="/hunan/support"');
    expect(res.text).not.toContain('切换省份');
  });

  it('serves its support, FAQ and feedback pages at bare paths', async () => {
    expect((await onHost('/support').expect(200)).text).toContain('18874734553');
    expect((await onHost('/faq').expect(200)).text).toContain('证书登录报错');
    expect((await onHost('/feedback').expect(200)).text).toContain('本省未开通在线问题反馈');
  });

  it('still serves other provinces by path on that host', async () => {
    const res = await onHost('/anhui/').expect(200);
    expect(res.text).toContain('安徽医保公共服务平台网上服务大厅');
  });

  it('keeps the chooser on hosts no profile lists', async () => {
    expect((await onHost('/', 'localhost').expect(200)).text).toContain('请选择您所在的省份');
  });
});

describe('a sixth province added as one YAML file', () => {
  it('gets a branded hall home, support, FAQ and feedback page', async () => {
    const home = await onHost('/guangdong/', 'localhost').expect(200);
    expect(home.text).toContain('<span class="portal-title">广东省医疗保障局网上服务大厅</span>');
    expect(home.text).toContain('<span class="logo">广东医保</span>');
    expect(home.text).toContain('data-entry="login"');
    for (const path of ['support', 'faq', 'feedback']) await onHost(`/guangdong/${path}`, 'localhost').expect(200);
  });

  it('appears in the chooser, the brand stylesheet and the comparison', async () => {
    expect((await onHost('/', 'localhost').expect(200)).text).toContain('href="/guangdong/"');
    expect((await request(http).get('/brands.css').expect(200)).text).toContain('.province-guangdong {');
    expect((await onHost('/compare', 'localhost').expect(200)).text).toContain('<th scope="col" data-province="guangdong">广东省</th>');
  });
});
