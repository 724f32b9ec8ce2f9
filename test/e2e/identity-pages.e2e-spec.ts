/**
 * The branded identity pages as a browser without scripts uses them: forms posted with the CSRF
 * token read from the page and its cookie, captcha answers and SMS codes read through the dev tools.
 * Registration wizard (XZ-4, JL-2, HN-4, N-4, XZ-3), login tabs (JL-4, HN-1), the choices after
 * login (NM-4, AH-3, NM-5), QR login (HN-1), lookup and recovery (JL-6, JL-7), the hall, logout.
 */
import type { Server } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { codeIn, freshUscc, login, outboxTexts, register, registrationDraft, seedRegistryUnit, type RegistrationDraft } from '#test/support/hall-journey.js';
import { openPage, pageCaptcha, postForm, type Page } from '#test/support/page-driver.js';
import { startTestApp, useTestApp, type TestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const open = openPage;
const post = postForm;
const captchaOf = (html: string) => pageCaptcha(suite.http, html);

/** The draft's fields under the page's input names (`unit.uscc`, `operator.mobile`…). */
function fieldsOf(draft: RegistrationDraft): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(draft.unit).map(([k, v]) => [`unit.${k}`, v])),
    ...Object.fromEntries(Object.entries(draft.operator).map(([k, v]) => [`operator.${k}`, v])),
  };
}

/** Labels in page order, with whether each carries the required mark. */
function labels(html: string): Array<{ label: string; required: boolean }> {
  return [...html.matchAll(/<label for="f-(?:unit|operator)-[^"]+">([^<]+)(<span class="required")?/g)].map((m) => ({ label: m[1] ?? '', required: m[2] !== undefined }));
}

function inputTag(html: string, name: string): string {
  return new RegExp(`<(?:input|select)[^>]* name="${name.replace('.', '\\.')}"[^>]*>`).exec(html)?.[0] ?? '';
}

async function registered(province: string, overrides: Parameters<typeof registrationDraft>[1] = {}, options: Parameters<typeof seedRegistryUnit>[2] = {}) {
  const entry = await seedRegistryUnit(suite, province, options);
  const draft = registrationDraft(entry.uscc, overrides);
  const res = await register(suite.http, province, draft);
  expect(res.status).toBe(201);
  // One SMS per phone and minute: the next registration of the same operator may send again.
  clock.advanceSeconds(61);
  return { entry, draft, result: res.body as { unit: { id: string; name: string } } };
}

/** Logs in through the page (no scripts): the tab's form, its captcha, and the CSRF token. */
async function pageLogin(agent: request.Agent, province: string, account: string, password: string, options: { method?: string; next?: string } = {}): Promise<Page> {
  const method = options.method ?? 'password';
  const form = await open(agent, `/${province}/login?method=${method}${options.next ? `&next=${encodeURIComponent(options.next)}` : ''}`);
  const fields: Record<string, string> = { _csrf: form.token, method, account, password, action: 'login' };
  if (options.next) fields.next = options.next;
  if (form.html.includes('name="captchaId"')) Object.assign(fields, await captchaOf(form.html));
  return post(agent, `/${province}/login`, fields);
}

describe('the registration wizard', () => {
  it('XZ-4: Tibet’s wizard shows every profile field, all required, with its format and the 8-16 password hint', async () => {
    const schema = (await request(suite.http).get('/api/v1/provinces/xizang/registration-form').expect(200)).body as {
      properties: Record<'unit' | 'operator', { properties: Record<string, { title: string }>; required: string[] }>;
      'x-steps': Array<{ title: string }>;
    };
    const res = await request(suite.http).get('/xizang/register').set('Accept', 'text/html').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    const expected = (['unit', 'operator'] as const).flatMap((s) => Object.entries(schema.properties[s].properties).map(([key, f]) => ({ label: f.title, required: schema.properties[s].required.includes(key) })));
    expect(labels(html)).toEqual(expected);
    expect(labels(html).map((l) => l.label)).toEqual(expect.arrayContaining(['经办人姓名', '经办人证件类型', '证件号码', '证件有效起始日期', '证件有效截止日期', '经办人手机号', '经办人密码', '确认密码']));
    expect(labels(html).every((l) => l.required)).toBe(true);
    // The steps, as headings of their fieldsets (without scripts both show, one after the other).
    for (const step of schema['x-steps'].slice(0, 2)) expect(html).toContain(`</span>${step.title}</legend>`);
    expect(inputTag(html, 'unit.unitPassword')).toMatch(/type="password"[^>]* minlength="8" maxlength="16"/);
    expect(inputTag(html, 'operator.idValidFrom')).toContain('type="date"');
    expect(inputTag(html, 'operator.mobile')).toMatch(/type="tel"[^>]* pattern="\^1\[3-9\]\[0-9\]\{9\}\$"/);
    expect(inputTag(html, 'operator.idType')).toMatch(/^<select/);
    expect(inputTag(html, 'unit.unitName')).toContain('maxlength="100"');
    expect(html).toContain('<span class="hint" id="f-operator-password-hint">请输入8-16位密码，数字+大写或小写字母+特殊字符</span>');
    // XZ-4: 短信验证码 with its 发送验证码; no script, so the button posts the form.
    expect(inputTag(html, 'smsCode')).toContain('required');
    expect(html).toMatch(/<button type="submit" class="button secondary send-code" name="action" value="send-code" formnovalidate/);
    expect(html).toMatch(/name="_csrf" value="[^"]{20,}"/);
    expect(html).toMatch(/<script src="\/assets\/identity\.js\?v&#x3D;[0-9a-f]+" defer><\/script>/);
  });

  it('JL-2: Jilin’s wizard asks the graphic captcha (required, with 换一张) besides the SMS code', async () => {
    const { html } = await open(request.agent(suite.http), '/jilin/register');
    expect(labels(html).length).toBeGreaterThan(10);
    expect(inputTag(html, 'captcha')).toContain('required');
    expect(html).toMatch(/<img class="captcha-image" src="data:image\/svg\+xml;base64,[^"]+" alt="图形验证码图片"/);
    expect(html).toContain('value="captcha" formnovalidate data-captcha-refresh>换一张</button>');
    expect(html).toMatch(/name="captchaId" value="[0-9a-f-]{36}"/);
  });

  it('a bad submission comes back with each error beside its field and a summary, the values kept and never a password', async () => {
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/register');
    const draft = registrationDraft(freshUscc('220100'), { unit: { uscc: '91220100ABCDEFGHI0' }, operator: { mobile: '1234', password: 'Secret#2025x', confirmPassword: 'Secret#2025x' } });
    const page = await post(agent, '/jilin/register', { _csrf: form.token, ...fieldsOf(draft), smsCode: '123456', ...(await captchaOf(form.html)), action: 'register' });
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/<div class="alert" role="alert" data-alert>\s*<p class="alert-message">注册信息有误，请按提示修改<\/p>/);
    expect(inputTag(page.html, 'unit.uscc')).toMatch(/aria-describedby="f-unit-uscc-hint f-unit-uscc-error" aria-invalid="true"/);
    expect(page.html).toMatch(/<p class="error" id="f-unit-uscc-error">统一社会信用代码不正确/);
    expect(page.html).toMatch(/<p class="error" id="f-operator-mobile-error">经办人手机号应为 11 位中国大陆手机号<\/p>/);
    expect(page.html).toContain('<a href="#f-unit-uscc">统一社会信用代码：');
    // Kept: what was typed, except the passwords.
    expect(inputTag(page.html, 'operator.name')).toContain('value="李四"');
    expect(inputTag(page.html, 'unit.unitAccount')).toContain(`value="${draft.unit.unitAccount ?? ''}"`);
    expect(page.html).toMatch(/<option value="resident-id" selected>/);
    expect(inputTag(page.html, 'operator.password')).toContain('value=""');
    expect(inputTag(page.html, 'unit.unitPassword')).toContain('value=""');
    expect(page.html).not.toContain('Secret#2025x');
    expect(page.html).not.toContain('Danwei#2025');
    // A spent captcha is never shown again.
    expect(page.html).not.toContain(`value="${/name="captchaId" value="([^"]+)"/.exec(form.html)?.[1] ?? 'x'}"`);
  });

  it('HN-4: a full registration through the page (发送验证码 without script, then 提交) shows Hunan’s 管理员账号 and 经办员账号', async () => {
    const entry = await seedRegistryUnit(suite, 'hunan');
    // A long-term ID card: 长期 ticked beside the validity end instead of a date.
    const draft = registrationDraft(entry.uscc, { operator: { idValidTo: '', 'idValidTo.longTerm': '长期' } });
    const mobile = draft.operator.mobile ?? '';
    const agent = request.agent(suite.http);
    const form = await open(agent, '/hunan/register');
    expect(inputTag(form.html, 'operator.idValidTo')).toMatch(/type="date" value="" data-required/);
    expect(form.html).toContain('<input type="checkbox" id="long-term-f-operator-idValidTo" name="operator.idValidTo.longTerm" value="长期" data-long-term="f-operator-idValidTo"><label for="long-term-f-operator-idValidTo">长期有效</label>');
    const sent = await post(agent, '/hunan/register', { _csrf: form.token, ...fieldsOf(draft), smsCode: '', ...(await captchaOf(form.html)), action: 'send-code' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('name="operator.idValidTo.longTerm" value="长期" checked');
    expect(sent.html).toContain(`短信验证码已发送至 ${mobile.slice(0, 3)}****${mobile.slice(-4)}，5 分钟内有效。`);
    expect(inputTag(sent.html, 'unit.unitName')).toContain(`value="${draft.unit.unitName ?? ''}"`);
    expect(inputTag(sent.html, 'operator.password')).toContain('value=""');
    const code = codeIn((await outboxTexts(suite.http, mobile))[0]);

    const done = await post(agent, '/hunan/register', { _csrf: sent.token, ...fieldsOf(draft), smsCode: code, ...(await captchaOf(sent.html)), action: 'register' });
    expect(done.status).toBe(201);
    expect(done.html).toContain('<h1>注册完成</h1>');
    expect(done.html).toMatch(new RegExp(`<tr data-account="管理员账号"><th scope="row">管理员账号</th><td class="number">${draft.unit.unitAccount ?? ''}</td></tr>`));
    expect(done.html).toMatch(new RegExp(`<tr data-account="经办员账号"><th scope="row">经办员账号</th><td class="number">${mobile}</td></tr>`));
    expect(done.html).toContain(`${draft.unit.unitName ?? ''}已完成注册`);
    expect(done.html).toContain('<a class="button" href="/hunan/login" data-link="login">立即登录</a>');
    expect(done.html).toMatch(/<li data-step-indicator="done" aria-current="step">/);
    clock.advanceSeconds(61);
  });

  it('N-4/AH-5: a credit code the national registry does not know is refused with a link to code.nhsa.gov.cn', async () => {
    const agent = request.agent(suite.http);
    const form = await open(agent, '/anhui/register');
    const draft = registrationDraft(freshUscc('340100'));
    const page = await post(agent, '/anhui/register', { _csrf: form.token, ...fieldsOf(draft), smsCode: '000000', ...(await captchaOf(form.html)), action: 'register' });
    expect(page.status).toBe(422);
    expect(page.html).toContain('统一社会信用代码不存在');
    expect(page.html).toMatch(/<a href="https:\/\/code\.nhsa\.gov\.cn" class="external" rel="noopener noreferrer" target="_blank" data-link="alert">前往国家医保信息业务编码标准数据库动态维护维护单位信息<\/a>/);
    expect(page.html).toContain('<p class="error" id="f-unit-uscc-error">该统一社会信用代码不在国家医保信息业务编码标准数据库中</p>');
  });

  it('XZ-3: registering a unit again shows the province’s message and a link to log in; JL-6: Jilin adds the account lookup', async () => {
    const tibet = await registered('xizang');
    const tibetAgent = request.agent(suite.http);
    const tibetForm = await open(tibetAgent, '/xizang/register');
    const again = registrationDraft(tibet.entry.uscc);
    const tibetPage = await post(tibetAgent, '/xizang/register', { _csrf: tibetForm.token, ...fieldsOf(again), smsCode: '000000', action: 'register' });
    expect(tibetPage.status).toBe(409);
    expect(tibetPage.html).toContain('<p class="alert-message">该社会信用代码已被注册</p>');
    expect(tibetPage.html).toContain('<a href="/xizang/login" data-link="alert">用已有账号单位登录</a>');
    expect(tibetPage.html).not.toContain('/xizang/lookup');

    const jilin = await registered('jilin');
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/register');
    const page = await post(agent, '/jilin/register', { _csrf: form.token, ...fieldsOf(registrationDraft(jilin.entry.uscc)), smsCode: '000000', ...(await captchaOf(form.html)), action: 'register' });
    expect(page.status).toBe(409);
    expect(page.html).toContain('<a href="/jilin/login" data-link="alert">');
    expect(page.html).toContain('<a href="/jilin/lookup" data-link="alert">单位用户查询</a>');
  });

  it('refuses a registration post without the page’s CSRF token', async () => {
    const agent = request.agent(suite.http);
    await open(agent, '/jilin/register');
    const page = await post(agent, '/jilin/register', { _csrf: 'forged', 'unit.unitName': 'x' });
    expect(page.status).toBe(403);
    expect(page.html).toContain('提交未通过安全校验');
  });
});

describe('the login page', () => {
  const tabs = (html: string) => [...html.matchAll(/<li><a href="([^"]+)" data-method="([^"]+)"( aria-current="page")?>([^<]+)<\/a><\/li>/g)].map((m) => ({ method: m[2], label: m[4], current: m[3] !== undefined }));

  it('JL-4/HN-1: one tab per enabled method — Jilin’s credit-code login, Hunan’s QR (and CA), Anhui’s password only', async () => {
    const jilin = await open(request.agent(suite.http), '/jilin/login');
    expect(tabs(jilin.html)).toEqual([
      { method: 'password', label: '单位账号/经办人账号登录', current: true },
      { method: 'credit-code', label: '普通登录（统一社会信用代码）', current: false },
    ]);
    expect(jilin.html).toContain('<a href="/jilin/login?method&#x3D;credit-code" data-method="credit-code">');
    expect(inputTag(jilin.html, 'captcha')).toContain('required');
    // JL-6: 单位用户查询 beside 立即注册 and 忘记密码.
    expect(jilin.html).toContain('<a href="/jilin/lookup" data-link="lookup">单位用户查询</a>');
    expect(jilin.html).toContain('<a href="/jilin/register" data-link="register">立即注册</a>');
    expect(jilin.html).toContain('<a href="/jilin/recover" data-link="recover">忘记密码</a>');
    const creditCode = await open(request.agent(suite.http), '/jilin/login?method=credit-code');
    expect(tabs(creditCode.html).find((t) => t.current)?.method).toBe('credit-code');
    expect(creditCode.html).toContain('<label for="f-account">统一社会信用代码<span class="required"');

    const hunan = await open(request.agent(suite.http), '/hunan/login');
    expect(tabs(hunan.html).map((t) => t.method)).toEqual(['password', 'ca', 'qr']);
    expect(hunan.html).toContain('<h1>机构登录</h1>');
    // HN-6: the registration video and guide beside the form.
    expect(hunan.html).toContain('注册操作视频讲解');
    expect(hunan.html).toContain('注册步骤文档下载');
    expect(hunan.html).toContain('<a href="/hunan/register" data-link="register">没有账号？立即注册</a>');
    const ca = await open(request.agent(suite.http), '/hunan/login?method=ca');
    expect(ca.html).toContain('使用已绑定本单位网厅账号的数字证书登录');
    expect(ca.html).toContain('data-form="ca-login"');
    expect(ca.html).not.toContain('name="password"');

    const anhui = await open(request.agent(suite.http), '/anhui/login');
    expect(tabs(anhui.html)).toEqual([{ method: 'password', label: '单位账号密码登录', current: true }]);
    expect(anhui.html).not.toContain('/anhui/lookup');
    expect(anhui.status).toBe(200);
    await request(suite.http).get('/anhui/login').expect('cache-control', 'no-store');
  });

  it('a wrong password comes back beside the password, the account kept and the password not; a wrong captcha beside the captcha', async () => {
    const { draft } = await registered('jilin');
    const agent = request.agent(suite.http);
    const wrong = await pageLogin(agent, 'jilin', draft.unit.unitAccount ?? '', 'Wrong#Password1');
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('<p class="error" id="f-password-error">账号或密码错误</p>');
    expect(inputTag(wrong.html, 'account')).toContain(`value="${draft.unit.unitAccount ?? ''}"`);
    expect(inputTag(wrong.html, 'password')).toContain('value=""');
    expect(wrong.html).not.toContain('Wrong#Password1');

    const form = await open(agent, '/jilin/login');
    const { captchaId } = await captchaOf(form.html);
    const badCaptcha = await post(agent, '/jilin/login', { _csrf: form.token, method: 'password', account: draft.unit.unitAccount ?? '', password: draft.unit.unitPassword ?? '', captchaId, captcha: 'ZZZZ' });
    expect(badCaptcha.status).toBe(400);
    expect(badCaptcha.html).toContain('<p class="error" id="f-captcha-error">图形验证码错误</p>');
  });

  it('换一张 without script posts the form and comes back with a new captcha, the account kept', async () => {
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/login');
    const before = /name="captchaId" value="([^"]+)"/.exec(form.html)?.[1];
    const page = await post(agent, '/jilin/login', { _csrf: form.token, method: 'password', account: 'unitabc', password: 'typed#Secret1', captchaId: before ?? '', captcha: '', action: 'captcha' });
    expect(page.status).toBe(200);
    expect(inputTag(page.html, 'account')).toContain('value="unitabc"');
    expect(page.html).not.toContain('typed#Secret1');
    expect(/name="captchaId" value="([^"]+)"/.exec(page.html)?.[1]).not.toBe(before);
  });

  it('LOGIN_LOCKED: after too many wrong passwords the page says when to try again (429 with Retry-After)', async () => {
    const { draft } = await registered('xizang');
    const account = draft.unit.unitAccount ?? '';
    for (let i = 0; i < 30; i += 1) {
      const res = await login(request.agent(suite.http), suite.http, 'xizang', account, `Wrong#${i}abc`);
      if (res.status === 429) break;
      expect(res.status).toBe(401);
    }
    const page = await pageLogin(request.agent(suite.http), 'xizang', account, draft.unit.unitPassword ?? '');
    expect(page.status).toBe(429);
    expect(Number(page.retryAfter)).toBeGreaterThan(0);
    expect(page.html).toMatch(/<p class="alert-message">登录失败次数过多，请 \d+ 秒后再试<\/p>/);
    clock.advanceSeconds(900);
  });

  it('JL-4: the unit logs in with its credit code and lands on the hall, which shows 登录类型 and the account', async () => {
    const { draft, entry } = await registered('jilin');
    const agent = request.agent(suite.http);
    const page = await pageLogin(agent, 'jilin', entry.uscc, draft.unit.unitPassword ?? '', { method: 'credit-code' });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/jilin/hall');
    const hall = await open(agent, '/jilin/hall');
    expect(hall.status).toBe(200);
    expect(hall.html).toMatch(/<div class="summary-row" data-row="login-type"><dt>登录类型<\/dt><dd>单位用户<\/dd><\/div>/);
    expect(hall.html).toContain(`<dd>${draft.unit.unitAccount ?? ''}</dd>`);
    // JL-8: the unit account cannot transact, and the hall says so.
    expect(hall.html).toContain('单位账号可找回密码、修改经办人密码、注销网厅账号，但不能办理业务');
    expect(hall.html).toContain('<span class="service-title">进入单位网厅</span> <span class="badge soon">即将开放</span>');
    expect(hall.html).toContain('<a class="service-title" href="/jilin/certify">角色认证</a>');
    // 单位管理 is the unit account's; 招采企业服务 posts for its one-time ticket (JL-12).
    expect(hall.html).toContain('<a class="service-title" href="/jilin/hall/operators">单位经办人</a>');
    expect(hall.html).toContain('<a class="service-title" href="/jilin/hall/unit">单位管理</a>');
    expect(hall.html).toMatch(/<form method="post" action="\/jilin\/hall\/procurement"[^>]*data-form="procurement">/);
    expect(hall.html).toContain('菜单位置：我的服务大厅 › 招采企业服务 › 立即查看');
  });

  it('NM-4: an operator bound to two units is sent to choose one, then the hall shows it and offers 切换单位', async () => {
    const first = await registered('neimenggu');
    const mobile = first.draft.operator.mobile ?? '';
    const password = first.draft.operator.password ?? '';
    // JL-3/JL-11: the same national operator registers a second unit with their existing password.
    const second = await registered('neimenggu', { operator: { mobile, password } });
    const agent = request.agent(suite.http);
    const page = await pageLogin(agent, 'neimenggu', mobile, password);
    expect(page.status).toBe(303);
    expect(page.location).toBe('/neimenggu/choose-unit');
    const chooser = await open(agent, '/neimenggu/choose-unit');
    expect(chooser.status).toBe(200);
    const radios = [...chooser.html.matchAll(/<input type="radio" id="unit-\d" name="unitId" value="([^"]+)"/g)].map((m) => m[1]);
    expect(radios.sort()).toEqual([first.result.unit.id, second.result.unit.id].sort());
    expect(chooser.html).toContain(first.result.unit.name);
    expect(chooser.html).toContain(second.result.unit.name);

    const noChoice = await post(agent, '/neimenggu/choose-unit', { _csrf: chooser.token });
    expect(noChoice.status).toBe(400);
    expect(noChoice.html).toContain('<p class="error" id="unit-error">请选择登录单位</p>');

    const chosen = await post(agent, '/neimenggu/choose-unit', { _csrf: chooser.token, unitId: second.result.unit.id });
    expect(chosen.status).toBe(303);
    expect(chosen.location).toBe('/neimenggu/hall');
    const hall = await open(agent, '/neimenggu/hall');
    expect(hall.html).toContain(`<div class="summary-row" data-row="unit"><dt>当前单位</dt><dd>${second.result.unit.name}</dd></div>`);
    expect(hall.html).toContain('<a href="/neimenggu/choose-unit" data-link="switch-unit">切换单位</a>');
  });

  it('AH-3: in Anhui an operator with one unit still chooses it after login', async () => {
    const { draft, result } = await registered('anhui');
    const agent = request.agent(suite.http);
    const page = await pageLogin(agent, 'anhui', draft.operator.mobile ?? '', draft.operator.password ?? '');
    expect(page.location).toBe('/anhui/choose-unit');
    // Straight to the hall is not possible before the choice.
    expect((await open(agent, '/anhui/hall')).location).toBe('/anhui/choose-unit');
    const chooser = await open(agent, '/anhui/choose-unit');
    expect(chooser.html).toContain('登录成功后选择单位名称');
    expect((await post(agent, '/anhui/choose-unit', { _csrf: chooser.token, unitId: result.unit.id })).location).toBe('/anhui/hall');
  });

  it('NM-5: a medical-institution operator whose credit code covers several institutions chooses one, for good, after confirming', async () => {
    const institutions = [
      { code: `H15010${String(Date.now() % 100000).padStart(5, '0')}1`, name: '呼和浩特市第一医院（本部）', kind: 'main' as const },
      { code: `H15010${String(Date.now() % 100000).padStart(5, '0')}2`, name: '呼和浩特市第一医院（分院）', kind: 'branch' as const },
    ];
    const { draft, result } = await registered('neimenggu', {}, { roleTypes: ['medical-institution'], institutions });
    const agent = request.agent(suite.http);
    await pageLogin(agent, 'neimenggu', draft.operator.mobile ?? '', draft.operator.password ?? '');
    const chooser = await open(agent, '/neimenggu/choose-unit');
    const chosen = await post(agent, '/neimenggu/choose-unit', { _csrf: chooser.token, unitId: result.unit.id });
    expect(chosen.location).toBe('/neimenggu/choose-institution');
    const page = await open(agent, '/neimenggu/choose-institution');
    expect(page.html).toContain('选择后将无法更改，请谨慎选择');
    expect(page.html).toContain('<input type="checkbox" id="f-confirm" name="confirm" value="yes" required>');
    expect(page.html).toContain(institutions[1]?.name);

    const unconfirmed = await post(agent, '/neimenggu/choose-institution', { _csrf: page.token, institutionCode: institutions[1]?.code ?? '' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.html).toContain('<p class="error" id="f-confirm-error">请勾选确认：选择后将无法更改</p>');
    expect(unconfirmed.html).toMatch(/name="institutionCode" value="[^"]+" required checked/);

    const done = await post(agent, '/neimenggu/choose-institution', { _csrf: page.token, institutionCode: institutions[1]?.code ?? '', confirm: 'yes' });
    expect(done.location).toBe('/neimenggu/hall');
    const hall = await open(agent, '/neimenggu/hall');
    expect(hall.html).toContain(`<dd>${institutions[1]?.name ?? ''}（${institutions[1]?.code ?? ''}）</dd>`);
    // Final: the chooser does not come back.
    expect((await open(agent, '/neimenggu/choose-institution')).location).toBe('/neimenggu/hall');
  });

  it('sends a visitor without a session to log in, and back to `next` afterwards — only to a path of this province', async () => {
    const { draft } = await registered('jilin');
    const agent = request.agent(suite.http);
    const hall = await open(agent, '/jilin/hall');
    expect(hall.status).toBe(303);
    expect(hall.location).toBe('/jilin/login?next=%2Fjilin%2Fhall');
    const login = await open(agent, '/jilin/login?next=%2Fjilin%2Fhall');
    expect(login.html).toContain('<input type="hidden" name="next" value="/jilin/hall">');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/hunan/hall', '/jilin/../hunan/hall', '/\\evil.example']) {
      const page = await pageLogin(request.agent(suite.http), 'jilin', draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '', { next });
      expect([next, page.location]).toEqual([next, '/jilin/hall']);
    }
    const back = await pageLogin(agent, 'jilin', draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '', { next: '/jilin/support' });
    expect(back.location).toBe('/jilin/support');
  });

  it('logout (POST with the hall’s CSRF token) ends the session, clears the cookie and returns to the hall home', async () => {
    const { draft } = await registered('jilin');
    const agent = request.agent(suite.http);
    await pageLogin(agent, 'jilin', draft.operator.mobile ?? '', draft.operator.password ?? '');
    const hall = await open(agent, '/jilin/hall');
    expect(hall.status).toBe(200);
    expect(hall.html).toContain('<form method="post" action="/jilin/logout" class="logout-form" data-form="logout">');
    const forged = await post(agent, '/jilin/logout', { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    const res = await agent.post('/jilin/logout').set('Accept', 'text/html').type('form').send(`_csrf=${encodeURIComponent(hall.token)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/jilin/');
    expect(String(res.headers['set-cookie'])).toMatch(/pe_hall_jilin=;/);
    expect((await open(agent, '/jilin/hall')).status).toBe(303);
    await agent.get('/api/v1/provinces/jilin/session').expect(401);
  });
});

describe('QR login', () => {
  it('HN-1: the QR tab shows a code; a signed-in device confirms it (after logging in and coming back), and the first browser is signed in', async () => {
    const { draft } = await registered('hunan');
    const desktop = request.agent(suite.http);
    const tab = await open(desktop, '/hunan/login?method=qr');
    expect(tab.html).toMatch(/<img class="qr-code" src="data:image\/svg\+xml;base64,[^"]+" alt="扫码登录二维码"/);
    const ticketId = /name="ticketId" value="([^"]+)"/.exec(tab.html)?.[1] ?? '';
    const pollToken = /name="pollToken" value="([^"]+)"/.exec(tab.html)?.[1] ?? '';
    expect(tab.html).toContain(`data-url="/api/v1/provinces/hunan/qr-logins/${ticketId}"`);

    // Not yet confirmed: the same code stays.
    const early = await post(desktop, '/hunan/login', { _csrf: tab.token, method: 'qr', ticketId, pollToken });
    expect(early.status).toBe(409);
    expect(early.html).toContain('二维码尚未确认');
    expect(early.html).toContain(`name="ticketId" value="${ticketId}"`);

    const phone = request.agent(suite.http);
    const confirmPath = `/hunan/qr/${ticketId}`;
    const bounced = await open(phone, confirmPath);
    expect(bounced.status).toBe(303);
    expect(bounced.location).toBe(`/hunan/login?next=${encodeURIComponent(confirmPath)}`);
    const loggedIn = await pageLogin(phone, 'hunan', draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '', { next: confirmPath });
    expect(loggedIn.location).toBe(confirmPath);
    const confirm = await open(phone, confirmPath);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(`<dd>${draft.unit.unitAccount ?? ''}</dd>`);
    expect(confirm.html).toContain('确认登录</button>');
    const approved = await post(phone, confirmPath, { _csrf: confirm.token });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain('已确认登录');
    const status = await request(suite.http).get(`/api/v1/provinces/hunan/qr-logins/${ticketId}`).set('X-Poll-Token', pollToken).expect(200);
    expect(status.body).toEqual({ status: 'approved' });

    const signedIn = await post(desktop, '/hunan/login', { _csrf: early.token, method: 'qr', ticketId, pollToken });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/hunan/hall');
    expect((await open(desktop, '/hunan/hall')).html).toContain(`<dd>${draft.unit.unitAccount ?? ''}</dd>`);
    // Single use: the same ticket again is refused, with a fresh code.
    const again = await post(desktop, '/hunan/login', { _csrf: early.token, method: 'qr', ticketId, pollToken });
    expect(again.status).toBe(410);
    expect(again.html).not.toContain(`name="ticketId" value="${ticketId}"`);
  });

  it('the confirmation page exists only where QR login does, and only for a ticket id', async () => {
    await request(suite.http).get('/jilin/qr/0b4c1d2e-1111-4222-8333-944455556666').set('Accept', 'text/html').expect(404);
    await request(suite.http).get('/hunan/qr/not-a-ticket').set('Accept', 'text/html').expect(404);
    await request(suite.http).get('/hunan/qr/0b4c1d2e-1111-4222-8333-944455556666').set('Accept', 'text/html').expect(303);
  });
});

describe('recovery and lookup', () => {
  it('JL-6: 单位用户查询 finds the unit account by credit code, and says 未在本省注册 otherwise', async () => {
    const { draft, entry } = await registered('jilin');
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/lookup');
    const found = await post(agent, '/jilin/lookup', { _csrf: form.token, uscc: entry.uscc.toLowerCase(), ...(await captchaOf(form.html)), action: 'lookup' });
    expect(found.status).toBe(200);
    expect(found.html).toContain(`<div class="summary-row" data-row="account"><dt>单位账号</dt><dd>${draft.unit.unitAccount ?? ''}</dd></div>`);
    const missing = await post(agent, '/jilin/lookup', { _csrf: found.token, uscc: freshUscc('220100'), ...(await captchaOf(found.html)), action: 'lookup' });
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('<p class="error" id="f-uscc-error">未在本省注册</p>');
    expect(missing.html).toContain('data-lookup="not-found"');
    await request(suite.http).get('/anhui/lookup').set('Accept', 'text/html').expect(404);
  });

  it('JL-7: the credit-code reset sends a code to the registered mobile (shown masked), then sets a new password', async () => {
    const { draft, entry } = await registered('jilin');
    const mobile = draft.operator.mobile ?? '';
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/recover?method=credit-code');
    expect(form.html).toContain('忘记密码只能修改单位账号的密码；经办人密码须用单位账号登录后修改');
    expect(form.html).toContain('<a href="/jilin/recover?method&#x3D;unit-info" data-method="unit-info">');
    const sent = await post(agent, '/jilin/recover', { _csrf: form.token, method: 'credit-code', uscc: entry.uscc, ...(await captchaOf(form.html)), action: 'send-code' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
    expect(inputTag(sent.html, 'uscc')).toContain(`value="${entry.uscc}"`);
    const code = codeIn((await outboxTexts(suite.http, mobile, 2))[0]);
    const done = await post(agent, '/jilin/recover', { _csrf: sent.token, method: 'credit-code', uscc: entry.uscc, smsCode: code, newPassword: 'Xinmima#2026', confirmPassword: 'Xinmima#2026', action: 'reset' });
    expect(done.status).toBe(200);
    expect(done.html).toContain(`单位账号 ${draft.unit.unitAccount ?? ''} 的密码已重置`);
    expect((await pageLogin(request.agent(suite.http), 'jilin', draft.unit.unitAccount ?? '', 'Xinmima#2026')).location).toBe('/jilin/hall');
  });

  it('JL-7: the reset by unit details asks every unit field but the passwords, and says when they do not match', async () => {
    const { draft } = await registered('jilin');
    const agent = request.agent(suite.http);
    const form = await open(agent, '/jilin/recover?method=unit-info');
    expect(form.html).not.toContain('name="unit.unitPassword"');
    expect(form.html).not.toContain('name="unit.unitAccount"');
    for (const field of ['unit.unitName', 'unit.uscc', 'unit.legalRepresentative', 'unit.contactPhone', 'unit.address']) expect(form.html).toContain(`name="${field}"`);
    const unit = Object.fromEntries(Object.entries(draft.unit).filter(([k]) => k !== 'unitPassword' && k !== 'unitAccount').map(([k, v]) => [`unit.${k}`, v]));
    const wrong = await post(agent, '/jilin/recover', { _csrf: form.token, method: 'unit-info', account: draft.unit.unitAccount ?? '', ...unit, 'unit.address': '别处', newPassword: 'Xinmima#2026', confirmPassword: 'Xinmima#2026', ...(await captchaOf(form.html)), action: 'reset' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('填写的单位信息与注册时不一致');
    expect(inputTag(wrong.html, 'unit.address')).toContain('value="别处"');
    expect(inputTag(wrong.html, 'newPassword')).toContain('value=""');
    const right = await post(agent, '/jilin/recover', { _csrf: wrong.token, method: 'unit-info', account: draft.unit.unitAccount ?? '', ...unit, newPassword: 'Xinmima#2026', confirmPassword: 'Xinmima#2026', ...(await captchaOf(wrong.html)), action: 'reset' });
    expect(right.status).toBe(200);
    expect(right.html).toContain('密码已重置');
  });

  it('the home page’s entries lead to these pages, the official hall still linked', async () => {
    const home = await open(request.agent(suite.http), '/hunan/');
    expect(home.html).toContain('<a class="button" href="/hunan/login" data-link="login-local">机构登录</a>');
    expect(home.html).toContain('<a class="button" href="/hunan/register" data-link="registration-local">没有账号？立即注册</a>');
    expect(home.html).toContain('href="https://healthcare.hnybj.com.cn/" rel="noopener noreferrer" target="_blank">前往官方网上服务大厅登录</a>');
  });
});

describe('on a province’s own host', () => {
  const HOST = 'hall.jilin.test';
  let dir: string;
  let hosted: TestApp;
  let http: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'identity-pages-'));
    await cp('provinces', dir, { recursive: true });
    const jilin = await readFile(join(dir, 'jilin.yaml'), 'utf8');
    await writeFile(join(dir, 'jilin.yaml'), jilin.replace('authority: 吉林省医疗保障局\n', `authority: 吉林省医疗保障局\nhosts: [${HOST}]\n`));
    hosted = await startTestApp({ profilesDir: dir });
    http = hosted.app.getHttpAdapter().getInstance().server;
  });

  afterAll(async () => {
    await hosted.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves every page without the prefix, with links and redirects at the root', async () => {
    const get = (path: string) => request(http).get(path).set('Host', HOST).set('Accept', 'text/html');
    const login = await get('/login').expect(200);
    expect(login.text).toContain('<form class="form" method="post" action="/login" data-form="login"');
    expect(login.text).toContain('<a href="/login?method&#x3D;credit-code" data-method="credit-code">');
    expect(login.text).toContain('<a href="/lookup" data-link="lookup">单位用户查询</a>');
    expect((await get('/register').expect(200)).text).toContain('action="/register"');
    expect((await get('/recover').expect(200)).text).toContain('action="/recover"');
    const hall = await get('/hall').expect(303);
    expect(hall.headers.location).toBe('/login?next=%2Fhall');
    expect((await get('/login?next=%2Fhall').expect(200)).text).toContain('<input type="hidden" name="next" value="/hall">');
  });
});
