import type { Server } from 'node:http';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

let dir: string;
let templatesDir: string;
let testApp: TestApp;
let http: Server;

beforeAll(async () => {
  // Private copies: this file adds and breaks profiles and templates while the app runs.
  dir = await mkdtemp(join(tmpdir(), 'profiles-e2e-'));
  await cp('provinces', dir, { recursive: true });
  templatesDir = await mkdtemp(join(tmpdir(), 'templates-e2e-'));
  await cp('templates', templatesDir, { recursive: true });
  testApp = await startTestApp({ profilesDir: dir, templatesDir });
  http = testApp.app.getHttpAdapter().getInstance().server;
});

afterAll(async () => {
  await testApp.close();
  await rm(dir, { recursive: true, force: true });
  await rm(templatesDir, { recursive: true, force: true });
});

const admin = (req: request.Test) => req.set('Authorization', `Bearer ${testApp.config.adminToken ?? ''}`);

describe('GET /api/v1/provinces', () => {
  it('lists the five provinces with code, authority and hall URL', async () => {
    const res = await request(http).get('/api/v1/provinces').expect(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { id: 'hunan', code: '430000', name: '湖南省', authority: '湖南省医疗保障局', hallUrl: 'https://healthcare.hnybj.com.cn/' },
        { id: 'xizang', code: '540000', name: '西藏自治区', authority: '西藏自治区医疗保障局', hallUrl: 'https://ggfw.ylbzj.xizang.gov.cn/hallenter//#/Index' },
      ]),
    );
    expect((res.body as unknown[]).length).toBe(5);
  });

  it('serves a resolved profile by id or by GB/T 2260 code (national values merged in)', async () => {
    const byId = await request(http).get('/api/v1/provinces/anhui').expect(200);
    const byCode = await request(http).get('/api/v1/provinces/340000').expect(200);
    expect(byCode.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({ id: 'anhui', urls: { nationalService: { url: 'https://fuwu.nhsa.gov.cn' } }, session: { idleMinutes: 30 } });
  });

  it('answers an unknown province with 404, a Chinese message and the known ids', async () => {
    const res = await request(http).get('/api/v1/provinces/atlantis').expect(404);
    expect(res.body).toMatchObject({ code: 'PROVINCE_NOT_FOUND', message: expect.stringContaining('未找到省份“atlantis”') as unknown });
    expect((res.body as { provinces: string[] }).provinces).toEqual(expect.arrayContaining(['hunan', 'anhui']));
  });

  it('a request line past the 16 KiB header limit gets the coded 431, not the parser’s own body', async () => {
    const res = await request(http).get(`/api/v1/provinces/${'x'.repeat(20_000)}`).expect(431);
    expect(res.body).toEqual({ code: 'REQUEST_HEADERS_TOO_LARGE', message: '请求头过大' });
  });

  it('publishes the profile JSON Schema with Chinese titles', async () => {
    const res = await request(http).get('/api/v1/profile.schema.json').expect(200);
    expect(res.body).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: '省份配置', properties: { login: { title: '登录' } } });
  });
});

describe('GET /api/v1/compare', () => {
  it('with only=diff returns only differing rows, with Chinese labels, inheritance and sources', async () => {
    const res = await request(http).get('/api/v1/compare?provinces=hunan,anhui&only=diff').expect(200);
    const body = res.body as { provinces: string[]; rows: Array<{ path: string; label: string; same: boolean; sources: Record<string, string[]>; inherited: Record<string, boolean> }> };
    expect(body.provinces).toEqual(['hunan', 'anhui']);
    expect(body.rows.every((r) => !r.same)).toBe(true);
    const distributors = body.rows.find((r) => r.path === 'roleTypes[distributor].registersAt');
    expect(distributors).toMatchObject({ label: '角色类型 › 配送(经营)企业 › 注册位置', inherited: { hunan: false, anhui: true }, sources: { hunan: ['N-3', 'HN-10'] } });
  });

  it('compares every province when none is named', async () => {
    const res = await request(http).get('/api/v1/compare').expect(200);
    expect((res.body as { provinces: string[] }).provinces).toHaveLength(5);
  });

  it('rejects a bad query with a coded 400 and an unknown province with 404', async () => {
    expect((await request(http).get('/api/v1/compare?only=same').expect(400)).body).toMatchObject({ code: 'COMPARE_BAD_QUERY', fields: { only: '只能为 diff' } });
    expect((await request(http).get('/api/v1/compare?provinces=hunan,atlantis').expect(404)).body).toMatchObject({ code: 'PROVINCE_NOT_FOUND' });
  });
});

describe('caching: ETag, If-None-Match and Cache-Control', () => {
  it('answers a client holding the current profile, list, schema or comparison with 304 and no body', async () => {
    for (const path of ['/api/v1/provinces/hunan', '/api/v1/provinces', '/api/v1/profile.schema.json', '/api/v1/compare?provinces=hunan,anhui&only=diff']) {
      const first = await request(http).get(path).expect(200);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[\w-]{32}"$/);
      expect(first.headers['cache-control']).toBe('public, no-cache');
      const again = await request(http).get(path).set('If-None-Match', etag).expect(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(etag);
      // A list of tags, a weak tag and a stale tag, as caches send them.
      await request(http).get(path).set('If-None-Match', `"stale", W/${etag}`).expect(304);
      expect((await request(http).get(path).set('If-None-Match', '"stale"').expect(200)).body).toEqual(first.body);
    }
  });

  it('the same profile by id or by code carries one ETag; another province another', async () => {
    const byId = await request(http).get('/api/v1/provinces/hunan').expect(200);
    const byCode = await request(http).get('/api/v1/provinces/430000').expect(200);
    expect(byCode.headers.etag).toBe(byId.headers.etag);
    expect((await request(http).get('/api/v1/provinces/anhui').expect(200)).headers.etag).not.toBe(byId.headers.etag);
  });
});

describe('POST /api/v1/admin/profiles/reload', () => {
  it('requires the admin token', async () => {
    expect((await request(http).post('/api/v1/admin/profiles/reload').expect(401)).body).toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
    expect((await request(http).post('/api/v1/admin/profiles/reload').set('Authorization', 'Bearer wrong').expect(401)).body).toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
  });

  it('serves a sixth province dropped into the folder after reload, and records its revision', async () => {
    const hubei = (await readFile(join(dir, 'hunan.yaml'), 'utf8')).replace('id: hunan', 'id: hubei').replace('code: "430000"', 'code: "420000"').replace('name: 湖南省', 'name: 湖北省');
    const listBefore = await request(http).get('/api/v1/provinces').expect(200);
    await writeFile(join(dir, 'hubei.yaml'), hubei);
    const res = await admin(request(http).post('/api/v1/admin/profiles/reload')).expect(200);
    expect(res.body).toMatchObject({ status: 'ok', changed: ['hubei'] });
    await request(http).get('/api/v1/provinces/420000').expect(200);
    // The list changed with the set: a client's old copy is no longer current.
    expect(listBefore.headers.etag).not.toBe((await request(http).get('/api/v1/provinces').set('If-None-Match', String(listBefore.headers.etag)).expect(200)).headers.etag);
    const revisions = await admin(request(http).get('/api/v1/admin/profiles/hubei/revisions')).expect(200);
    expect(revisions.body).toEqual([expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, provinceFile: expect.stringContaining('hubei.yaml') as unknown })]);
  });

  it('shows a province’s new page template after a reload, under a new version; a broken template changes no page', async () => {
    const version = ((await request(http).get('/health').expect(200)).body as { profiles: { version: string } }).profiles.version;
    const override = join(templatesDir, 'provinces', 'hunan', 'pages', 'home.hbs');
    await mkdir(join(override, '..'), { recursive: true });
    await writeFile(override, '<p>湖南医保新首页</p>');
    expect((await request(http).get('/hunan/').set('Accept', 'text/html').expect(200)).text).not.toContain('湖南医保新首页');
    const res = await admin(request(http).post('/api/v1/admin/profiles/reload')).expect(200);
    expect((res.body as { version: string }).version).not.toBe(version);
    expect((await request(http).get('/hunan/').set('Accept', 'text/html').expect(200)).text).toContain('湖南医保新首页');
    expect((await request(http).get('/anhui/').set('Accept', 'text/html').expect(200)).text).not.toContain('湖南医保新首页');

    await writeFile(override, '<p>坏模板</p>{{#if broken}}');
    const refused = await admin(request(http).post('/api/v1/admin/profiles/reload')).expect(422);
    expect(refused.body).toMatchObject({ code: 'PROFILES_INVALID', version: (res.body as { version: string }).version, issues: [expect.objectContaining({ file: expect.stringContaining('provinces/hunan/pages/home.hbs') as unknown })] });
    expect((await request(http).get('/hunan/').set('Accept', 'text/html').expect(200)).text).toContain('湖南医保新首页');
    await rm(override);
    await admin(request(http).post('/api/v1/admin/profiles/reload')).expect(200);
    expect(((await request(http).get('/health').expect(200)).body as { profiles: { version: string } }).profiles.version).toBe(version);
  });

  it('leaves the running set untouched when a file is broken, and reports it in the response and on /health', async () => {
    const before = (await request(http).get('/api/v1/provinces').expect(200)).body as unknown[];
    await writeFile(join(dir, 'jilin.yaml'), (await readFile(join(dir, 'jilin.yaml'), 'utf8')) + 'bogus: 1\n');
    const res = await admin(request(http).post('/api/v1/admin/profiles/reload')).expect(422);
    expect(res.body).toMatchObject({ code: 'PROFILES_INVALID', issues: [expect.objectContaining({ pointer: '/bogus', message: '未知的键 "bogus"', text: expect.stringMatching(/jilin\.yaml:\d+:1 {2}\/bogus/) as unknown })] });
    expect((await request(http).get('/api/v1/provinces').expect(200)).body).toEqual(before);
    const health = await request(http).get('/health');
    expect(health.body).toMatchObject({ status: 'degraded', profiles: { errors: [expect.stringContaining('jilin.yaml')] } });
    const status = await admin(request(http).get('/api/v1/admin/profiles')).expect(200);
    expect(status.body).toMatchObject({ lastFailure: { issues: [expect.objectContaining({ pointer: '/bogus' })] } });
  });
});
