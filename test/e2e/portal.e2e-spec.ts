/**
 * The province-branded portal as a browser sees it over HTTP: every page in Chinese and branded,
 * unknown provinces and pages as Chinese 404 pages, security headers, the comparison page reading
 * the same rows as the API, and no broken link anywhere inside the site.
 */
import request from 'supertest';
import { useTestApp } from '#test/support/test-app.js';


const suite = useTestApp();

const PROVINCES = {
  xizang: { title: '西藏自治区医疗保障局网上服务大厅', login: '单位登录' },
  neimenggu: { title: '内蒙古医保公共服务网上服务大厅', login: '单位登录' },
  jilin: { title: '吉林省医疗保障局网上服务大厅', login: '单位登录' },
  hunan: { title: '湖南省医疗保障局网上服务大厅', login: '机构登录' },
  anhui: { title: '安徽医保公共服务平台网上服务大厅', login: '单位登录' },
} as const;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|lt|gt);/gi, (_all, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ({ amp: '&', quot: '"', lt: '<', gt: '>' } as Record<string, string>)[entity.toLowerCase()] ?? '';
  });
}

function links(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? ''));
}

const page = (path: string) => request(suite.http).get(path).set('Accept', 'text/html');

describe('the province chooser at /', () => {
  it('lists every province, linking each hall, in Chinese', async () => {
    const res = await page('/').expect(200).expect('content-type', /text\/html/);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).toContain('请选择您所在的省份');
    for (const id of Object.keys(PROVINCES)) expect(res.text).toContain(`href="/${id}/"`);
  });
});

describe('each province’s hall home /{id}/', () => {
  it.each(Object.entries(PROVINCES))('%s shows its own portal title, authority, colours and login entry', async (id, expected) => {
    const res = await page(`/${id}/`).expect(200);
    expect(res.text).toContain(`<title>首页 - ${expected.title}</title>`);
    expect(res.text).toContain(`<span class="portal-title">${expected.title}</span>`);
    expect(res.text).toContain(`class="page-home province-${id}"`);
    expect(res.text).toMatch(new RegExp(`<article class="card entry" data-entry="login">\\s*<h3>${expected.login}</h3>`));
    expect(res.text).toContain('data-entry="registration"');
  });

  it('HN-10: Hunan’s home offers the distributors’ registration in the procurement subsystem', async () => {
    const res = await page('/hunan/').expect(200);
    expect(res.text).toContain('data-entry="procurement-registration"');
    expect(res.text).toContain('href="https://tps.ybj.hunan.gov.cn"');
    expect(res.text).toContain('提交注册信息后须等待管理单位审核。');
  });

  it('HN-6/N-2: Hunan’s home links the registration video and guide, and both national sites', async () => {
    const res = await page('/hunan/').expect(200);
    expect(res.text).toContain('注册操作视频讲解');
    expect(res.text).toContain('注册步骤文档下载');
    expect(res.text).toContain('href="https://fuwu.nhsa.gov.cn"');
    expect(res.text).toContain('href="https://code.nhsa.gov.cn"');
  });

  it('HN-4: Hunan’s notices come from the manual, with their rule ids', async () => {
    const res = await page('/hunan/').expect(200);
    expect(res.text).toContain('每个单位在医保系统中只允许注册一次');
    expect(res.text).toMatch(/<abbr class="rule" title="[^"]*">HN-4<\/abbr>/);
  });

  it('answers with or without the trailing slash, and by GB/T 2260 code with canonical links', async () => {
    await page('/hunan').expect(200);
    const byCode = await page('/430000/').expect(200);
    expect(byCode.text).toContain('湖南省医疗保障局网上服务大厅');
    expect(byCode.text).toContain('href="/hunan/support"');
  });
});

describe('revalidation of the public pages', () => {
  it('a browser holding the current home, support or FAQ page gets 304; another province’s page has its own tag', async () => {
    const tags = new Set<string>();
    for (const path of ['/hunan/', '/hunan/support', '/hunan/faq', '/anhui/', '/']) {
      const page = await request(suite.http).get(path).set('Accept', 'text/html').expect(200);
      const etag = String(page.headers.etag);
      expect(page.headers['cache-control']).toBe('public, no-cache');
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      const again = await request(suite.http).get(path).set('Accept', 'text/html').set('If-None-Match', etag).expect(304);
      expect(again.text).toBe('');
      tags.add(etag);
    }
    expect(tags.size).toBe(5);
  });
});

describe('support, FAQ and feedback pages', () => {
  it('AH-9: Anhui’s support page has nine QQ groups under 药品, 医用耗材, 检验试剂', async () => {
    const res = await page('/anhui/support').expect(200);
    expect(res.text.match(/data-qq="\d+"/g)).toHaveLength(9);
    for (const [category, numbers] of Object.entries({ drug: ['852121671', '678317412', '236085530'], consumable: ['679328864', '701271562', '554390627'], reagent: ['454208819', '493129937', '103275869'] })) {
      const section = res.text.split(`data-category="${category}"`)[1]?.split('</section>')[0] ?? '';
      expect(numbers.every((n) => section.includes(`data-qq="${n}"`))).toBe(true);
    }
  });

  it('HN-13/HN-14: Hunan’s support page shows the CA hotline, the phones with their purpose and the driver link', async () => {
    const res = await page('/hunan/support').expect(200);
    expect(res.text).toContain('4006682666');
    expect(res.text).toContain('单位网厅登录、注册');
    expect(res.text).toContain('18874734553');
    expect(res.text).toContain('href="http://www.hunca.com.cn/findByArticleType.html?articleType&#x3D;11"');
    expect(res.text).toContain('提交后 24 小时（工作日）内生效。');
  });

  it('says where to turn when a manual publishes no support channel (Tibet)', async () => {
    const res = await page('/xizang/support').expect(200);
    expect(res.text).toContain('本省操作手册未公布答疑 QQ 群、客服电话或邮箱。');
  });

  it.each([
    ['xizang', 'XZ-9', '核心系统不存在单位的统一社会信用代码对应的单位基本数据'],
    ['anhui', 'AH-5', '统一信用代码不存在'],
    ['jilin', 'N-4', '国家医保信息业务编码标准数据库动态维护'],
    ['hunan', 'HN-13', '证书登录报错或点击证书登录无反应'],
  ])('%s FAQ answers %s', async (id, rule, text) => {
    const res = await page(`/${id}/faq`).expect(200);
    expect(res.text).toContain(text);
    expect(res.text).toContain(`>${rule}</abbr>`);
  });

  it('AH-8: Anhui’s feedback page has the form; Tibet’s says where to turn instead', async () => {
    expect((await page('/anhui/feedback').expect(200)).text).toContain('data-form="feedback"');
    const tibet = await page('/xizang/feedback').expect(200);
    expect(tibet.text).toContain('本省未开通在线问题反馈');
    expect(tibet.text).not.toContain('data-form="feedback"');
  });
});

describe('errors as pages', () => {
  it('an unknown province is a Chinese 404 page listing the provinces', async () => {
    const res = await page('/atlantis/').expect(404).expect('content-type', /text\/html/);
    expect(res.text).toContain('未找到该省份');
    for (const id of Object.keys(PROVINCES)) expect(res.text).toContain(`href="/${id}/"`);
  });

  it('the same URL asked for as JSON keeps the API error shape', async () => {
    const res = await request(suite.http).get('/atlantis/').set('Accept', 'application/json').expect(404);
    expect(res.body).toMatchObject({ code: 'PROVINCE_NOT_FOUND' });
  });

  it('an unknown page inside a province is a 404 branded for that province', async () => {
    const res = await page('/hunan/no-such-page').expect(404);
    expect(res.text).toContain('页面不存在');
    expect(res.text).toContain('湖南省医疗保障局网上服务大厅');
  });

  it('a bare page path on a host no profile lists asks to choose a province', async () => {
    const res = await page('/support').expect(404);
    expect(res.text).toContain('请先选择省份');
    expect(res.text).toContain('href="/anhui/"');
  });

  it('API errors stay JSON', async () => {
    const res = await request(suite.http).get('/api/v1/provinces/atlantis').set('Accept', 'text/html').expect(404);
    expect(res.body).toMatchObject({ code: 'PROVINCE_NOT_FOUND' });
  });
});

describe('security headers', () => {
  it('pages forbid inline scripts and styles, framing and sniffing', async () => {
    const res = await page('/hunan/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle="/);
  });

  it('Swagger UI alone may use inline styles', async () => {
    const res = await request(suite.http).get('/api/docs').expect(200);
    expect(String(res.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('the comparison page', () => {
  it('shows the same rows as GET /api/v1/compare, grouped by section, with origins and rule ids', async () => {
    const api = await request(suite.http).get('/api/v1/compare?provinces=hunan,anhui&only=diff').expect(200);
    const res = await page('/compare?provinces=hunan&provinces=anhui&only=diff').expect(200);
    const apiPaths = (api.body as { rows: Array<{ path: string }> }).rows.map((r) => r.path);
    const pagePaths = [...res.text.matchAll(/<tr data-path="([^"]+)"/g)].map((m) => decodeEntities(m[1] ?? ''));
    expect(pagePaths).toEqual(apiPaths);
    expect(res.text).toMatch(/<th scope="row"><span class="label">角色类型 › 配送\(经营\)企业 › 注册位置<\/span>/);
    expect(res.text).toContain('<tbody id="sec-1" data-section="基本信息">');
    expect(res.text).toMatch(/title="湖南省医疗保障局医疗保障信息平台建设工程[^"]*">HN-10<\/abbr>/);
    expect(res.text).toContain('<span class="badge">继承</span>');
  });

  it('with all provinces by default, “only differences” drops the equal rows', async () => {
    const all = await page('/compare').expect(200);
    const diff = await page('/compare?only=diff').expect(200);
    expect(all.text).toContain('data-same="true"');
    expect(diff.text).not.toContain('data-same="true"');
    expect(diff.text.match(/<tr data-path=/g)?.length).toBeLessThan(all.text.match(/<tr data-path=/g)?.length ?? 0);
    expect(all.text.match(/<th scope="col" data-province=/g)).toHaveLength(5);
  });

  it('downloads as CSV with a BOM so Excel shows the Chinese', async () => {
    const res = await request(suite.http).get('/compare.csv?provinces=hunan,anhui&only=diff').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8')).toContain('分组,项目,路径,各省相同,湖南省,湖南省 来源,湖南省 依据,安徽省,安徽省 来源,安徽省 依据');
  });

  it('refuses a bad query with a Chinese error page', async () => {
    const res = await page('/compare?only=same').expect(400);
    expect(res.text).toContain('参数 only 只能为 diff');
  });
});

describe('links inside the site', () => {
  it('every internal link reachable from / answers 200, or (a signed-in page) sends the visitor to sign in and back', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const broken: string[] = [];
    while (queue.length > 0) {
      const path = queue.shift() ?? '/';
      const res = await page(path);
      const province = path.split('/')[1] ?? '';
      // The login page's CA tab links to the binding request, behind a hall session (HN-8).
      if (res.status === 303 && res.headers.location === `/${province}/login?next=${encodeURIComponent(path)}`) continue;
      if (res.status !== 200) {
        broken.push(`${path} → ${res.status}`);
        continue;
      }
      if (!String(res.headers['content-type']).startsWith('text/html')) continue;
      for (const link of links(res.text)) {
        if (!link.startsWith('/') || link.startsWith('//')) continue;
        const target = link.split('#', 1)[0] ?? link;
        if (!target || seen.has(target)) continue;
        seen.add(target);
        queue.push(target);
      }
    }
    expect(broken).toEqual([]);
    // 5 provinces × (home, support, faq, feedback) + chooser, compare, CSV, styles, script, icon.
    expect(seen.size).toBeGreaterThan(25);
  }, 60_000);
});
