/**
 * 单位管理 as a browser without scripts uses it: the 单位经办人 page (JL-9 list, 重置密码 JL-7,
 * 解除绑定 HN-5, 招采授权; 新增经办人 by ID number XZ-8, inline registration XZ-8, by mobile NM-2) and
 * the 单位信息 page (XZ-9, JL-8 and its deregistration). Forms are posted with the CSRF token read
 * from the page; captcha answers and SMS codes are read through the dev tools.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { sessionCookieName } from '#src/identity/sessions/session.service.js';
import { codeIn, freshIdNumber, freshMobile, login, outboxTexts, registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { openPage as open, pageCaptcha, pageOf, postForm as post } from '#test/support/page-driver.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

function inputTag(html: string, name: string): string {
  return new RegExp(`<(?:input|select)[^>]* name="${name.replaceAll('.', '\\.')}"[^>]*>`).exec(html)?.[0] ?? '';
}

/** The message shown beside an input (form-input.hbs: `<p class="error" id="f-…-error">`). */
function errorBeside(html: string, name: string): string {
  return new RegExp(`id="f-${name.replaceAll('.', '-')}-error">([^<]*)<`).exec(html)?.[1] ?? '';
}

function row(html: string, mobile: string): string {
  return new RegExp(`<tr data-operator="${mobile}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
}

interface OperatorRow {
  operatorId: string;
  mobile: string;
  procurementAuthorisedAt?: string;
}

async function operatorsOf(agent: request.Agent, province: string): Promise<OperatorRow[]> {
  return (await agent.get(`/api/v1/provinces/${province}/hall/operators`).expect(200)).body as OperatorRow[];
}

async function newestCode(phone: string, before: number): Promise<string> {
  return codeIn((await outboxTexts(suite.http, phone, before + 1))[0]);
}

async function outboxCount(phone: string): Promise<number> {
  return ((await request(suite.http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200)).body as unknown[]).length;
}

/** A unit registered and its unit account signed in; the clock moves on so the next SMS to any phone is allowed. */
async function unitSignedIn(province: string) {
  const unit = await registeredUnit(suite, province);
  clock.advanceSeconds(61);
  return { unit, main: await signedIn(suite, province, unit.account, unit.password) };
}

describe('单位经办人 page', () => {
  it('JL-9: Jilin’s unit account sees its operators by mobile with 姓名, 手机号, 绑定时间 and each row’s actions; nothing deletes an operator (JL-11)', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const page = await open(main, '/jilin/hall/operators');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/jilin/hall" data-link="back-to-hall">← 返回服务大厅</a>');
    for (const heading of ['姓名', '手机号', '绑定时间', '招采授权', '操作']) expect(page.html).toContain(`<th scope="col">${heading}</th>`);
    const mine = row(page.html, unit.mobile);
    expect(mine).toContain(`<td>${unit.operator.name}</td>`);
    expect(mine).toMatch(/<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
    expect(mine).toContain('data-action="reset">重置密码</a>');
    expect(mine).toContain('data-action="unbind">解除绑定</a>');
    expect(mine).toContain('value="grant" data-action="grant">招采授权</button>');
    expect(page.html).toContain('经办人账号不能删除或注销');
    expect(page.html).toContain('经办人账号无法注销');
    expect(page.html).not.toMatch(/>删除</);
    expect(page.html).toMatch(/<script src="\/assets\/identity\.js\?v&#x3D;[0-9a-f]+" defer><\/script>/);
  });

  it('JL-7, JL-9: 重置密码 asks the new password twice, says the operator’s sessions end, and ends them', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const [mine] = await operatorsOf(main, 'jilin');
    const id = mine?.operatorId ?? '';
    const operator = await signedIn(suite, 'jilin', unit.mobile, unit.operatorPassword);
    const panel = await open(main, `/jilin/hall/operators?reset=${id}`);
    expect(panel.html).toContain('data-section="reset"');
    expect(panel.html).toContain('该经办人已登录的全部会话将立即结束');
    expect(inputTag(panel.html, 'newPassword')).toContain('type="password"');
    const weak = await post(main, `/jilin/hall/operators/${id}/password`, { _csrf: panel.token, newPassword: 'short', confirmPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(errorBeside(weak.html, 'newPassword')).toMatch(/密码长度/);
    expect(inputTag(weak.html, 'newPassword')).toContain('value=""');
    const mismatch = await post(main, `/jilin/hall/operators/${id}/password`, { _csrf: weak.token, newPassword: 'Chongzhi#2026', confirmPassword: 'Chongzhi#2027' });
    expect(errorBeside(mismatch.html, 'confirmPassword')).toBe('两次输入的密码不一致');
    const done = await post(main, `/jilin/hall/operators/${id}/password`, { _csrf: mismatch.token, newPassword: 'Chongzhi#2026', confirmPassword: 'Chongzhi#2026' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/jilin/hall/operators?done=password-reset&operator=${id}`);
    expect((await open(main, done.location ?? '')).html).toContain(`已重置经办人${unit.operator.name}（手机号 ${unit.mobile}）的密码，该经办人的全部登录已退出`);
    await operator.get('/api/v1/provinces/jilin/session').expect(401);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.mobile, 'Chongzhi#2026')).status).toBe(201);
  });

  it('JL-9, HN-5: 解除绑定 has a confirm step saying the operator keeps the account; then they no longer see the unit', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const [mine] = await operatorsOf(main, 'jilin');
    const id = mine?.operatorId ?? '';
    const confirm = await open(main, `/jilin/hall/operators?unbind=${id}`);
    expect(confirm.html).toContain(`确定解除本单位与经办人${unit.operator.name}（手机号 ${unit.mobile}）的绑定吗？`);
    expect(confirm.html).toContain('其经办人账号保留，可被其他单位绑定');
    const unconfirmed = await post(main, `/jilin/hall/operators/${id}/unbind`, { _csrf: confirm.token });
    expect(unconfirmed.status).toBe(400);
    expect(await operatorsOf(main, 'jilin')).toHaveLength(1);
    const done = await post(main, `/jilin/hall/operators/${id}/unbind`, { _csrf: unconfirmed.token, confirm: 'yes' });
    expect(done.location).toBe('/jilin/hall/operators?done=unbound');
    const after = await open(main, done.location ?? '');
    expect(after.html).toContain('已解除绑定。该经办人的账号保留');
    expect(row(after.html, unit.mobile)).toBe('');
    expect(await suite.testApp.app.get(DataSource).query(`SELECT 1 FROM operators WHERE id = $1`, [id])).toHaveLength(1);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.mobile, unit.operatorPassword)).body).toMatchObject({ code: 'OPERATOR_NOT_BOUND' });
  });

  it('JL-9: 招采授权 and 取消招采授权 per row, with the profile’s note; Hunan has neither', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const [mine] = await operatorsOf(main, 'jilin');
    const id = mine?.operatorId ?? '';
    const page = await open(main, '/jilin/hall/operators');
    expect(page.html).toContain('招采授权后，该经办人无法再进入本单位的医保（参保）业务经办');
    const granted = await post(main, `/jilin/hall/operators/${id}/procurement-authorisation`, { _csrf: page.token, authorisation: 'grant' });
    expect(granted.location).toBe(`/jilin/hall/operators?done=authorised&operator=${id}`);
    const after = await open(main, granted.location ?? '');
    expect(after.html).toContain(`已为经办人${unit.operator.name}（手机号 ${unit.mobile}）招采授权。`);
    expect(row(after.html, unit.mobile)).toMatch(/data-authorisation="yes">已授权（\d{4}-\d{2}-\d{2} \d{2}:\d{2}）/);
    expect(row(after.html, unit.mobile)).toContain('value="withdraw" data-action="withdraw">取消招采授权</button>');
    expect((await operatorsOf(main, 'jilin'))[0]?.procurementAuthorisedAt).toEqual(expect.any(String));
    const withdrawn = await post(main, `/jilin/hall/operators/${id}/procurement-authorisation`, { _csrf: after.token, authorisation: 'withdraw' });
    expect(row((await open(main, withdrawn.location ?? '')).html, unit.mobile)).toContain('data-authorisation="no">未授权');
    expect((await operatorsOf(main, 'jilin'))[0]?.procurementAuthorisedAt).toBeUndefined();

    const hunan = await unitSignedIn('hunan');
    const hunanPage = await open(hunan.main, '/hunan/hall/operators');
    expect(hunanPage.html).not.toContain('招采授权');
    expect(hunanPage.html).toContain('经办员离职请及时解绑');
  });

  it('XZ-8: Tibet adds a registered operator by ID type + number, the graphic captcha and the SMS code sent to that operator’s phone', async () => {
    const { main } = await unitSignedIn('xizang');
    const other = await registeredUnit(suite, 'xizang');
    clock.advanceSeconds(61);
    const form = await open(main, '/xizang/hall/operators');
    expect(form.html).toContain('data-mode="existing" aria-current="page">已注册的经办人</a>');
    expect(inputTag(form.html, 'idType')).toMatch(/^<select/);
    expect(inputTag(form.html, 'idNumber')).toContain('type="text"');
    expect(inputTag(form.html, 'mobile')).toBe('');
    expect(form.html).toContain('value="send-code" formnovalidate>发送验证码</button>');
    const before = await outboxCount(other.mobile);
    const fields = { mode: 'existing', idType: 'resident-id', idNumber: other.operator.idNumber ?? '' };
    const sent = await post(main, '/xizang/hall/operators/add', { _csrf: form.token, ...fields, smsCode: '', ...(await pageCaptcha(suite.http, form.html)), action: 'send-code' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(`短信验证码已发送至经办人手机 ${other.mobile.slice(0, 3)}****${other.mobile.slice(-4)}`);
    expect(inputTag(sent.html, 'idNumber')).toContain(`value="${fields.idNumber}"`);
    const code = await newestCode(other.mobile, before);
    const wrong = await post(main, '/xizang/hall/operators/add', { _csrf: sent.token, ...fields, smsCode: code === '000000' ? '111111' : '000000', action: 'add' });
    expect(wrong.status).toBe(400);
    expect(errorBeside(wrong.html, 'smsCode')).toBe('短信验证码错误');
    expect(inputTag(wrong.html, 'idNumber')).toContain(`value="${fields.idNumber}"`);
    const added = await post(main, '/xizang/hall/operators/add', { _csrf: wrong.token, ...fields, smsCode: code, action: 'add' });
    expect(added.status).toBe(303);
    const list = await open(main, added.location ?? '');
    expect(list.html).toContain(`已添加经办人${other.operator.name}（手机号 ${other.mobile}）`);
    expect(row(list.html, other.mobile)).not.toBe('');
  });

  it('XZ-8: an operator nobody registered is registered and bound in one step from the full operator fields', async () => {
    const { unit, main } = await unitSignedIn('xizang');
    const idNumber = freshIdNumber();
    const form = await open(main, '/xizang/hall/operators');
    // By ID number first: nobody holds it, and the page offers the new operator's form.
    const unknown = await post(main, '/xizang/hall/operators/add', { _csrf: form.token, mode: 'existing', idType: 'resident-id', idNumber, smsCode: '', ...(await pageCaptcha(suite.http, form.html)), action: 'send-code' });
    expect(errorBeside(unknown.html, 'idNumber')).toBe('该证件号码尚未注册经办人账号');
    expect(unknown.html).toContain('value="register-new" formnovalidate data-action="register-new">填写经办人信息，注册并添加</button>');
    const inline = await post(main, '/xizang/hall/operators/add', { _csrf: unknown.token, mode: 'existing', idType: 'resident-id', idNumber, action: 'register-new' });
    expect(inline.html).toContain('data-mode="new" aria-current="page">未注册的经办人</a>');
    expect(inputTag(inline.html, 'operator.idNumber')).toContain(`value="${idNumber}"`);
    for (const name of ['operator.name', 'operator.idType', 'operator.idValidFrom', 'operator.idValidTo', 'operator.mobile', 'operator.password', 'operator.confirmPassword']) expect(inputTag(inline.html, name)).not.toBe('');
    expect(inline.html).toContain('经办人未注册的，填写经办人信息后点击确定，即同时注册并添加经办人');

    const mobile = freshMobile();
    const operator = { 'operator.name': '新经办人', 'operator.idType': 'resident-id', 'operator.idNumber': idNumber, 'operator.idValidFrom': '2020-01-01', 'operator.idValidTo.longTerm': '长期', 'operator.mobile': mobile, 'operator.password': 'Xinjingban#1', 'operator.confirmPassword': 'Xinjingban#1' };
    const sent = await post(main, '/xizang/hall/operators/add', { _csrf: inline.token, mode: 'new', ...operator, smsCode: '', ...(await pageCaptcha(suite.http, inline.html)), action: 'send-code' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(`短信验证码已发送至经办人手机 ${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
    // Everything typed comes back but the passwords.
    expect(inputTag(sent.html, 'operator.name')).toContain('value="新经办人"');
    expect(inputTag(sent.html, 'operator.mobile')).toContain(`value="${mobile}"`);
    expect(inputTag(sent.html, 'operator.idValidTo.longTerm')).toContain('checked');
    expect(inputTag(sent.html, 'operator.password')).toContain('value=""');
    const code = await newestCode(mobile, 0);
    const noPassword = await post(main, '/xizang/hall/operators/add', { _csrf: sent.token, mode: 'new', ...operator, 'operator.password': '', 'operator.confirmPassword': '', smsCode: code, action: 'add' });
    expect(noPassword.status).toBe(400);
    expect(errorBeside(noPassword.html, 'operator.password')).toBe('请填写经办人密码');
    const added = await post(main, '/xizang/hall/operators/add', { _csrf: noPassword.token, mode: 'new', ...operator, smsCode: code, action: 'add' });
    expect(added.status).toBe(303);
    expect(added.location).toMatch(/^\/xizang\/hall\/operators\?done=registered&operator=[0-9a-f-]{36}$/);
    expect((await open(main, added.location ?? '')).html).toContain(`已注册并添加经办人新经办人（手机号 ${mobile}）`);
    const res = await login(request.agent(suite.http), suite.http, 'xizang', mobile, 'Xinjingban#1');
    expect((res.body as { actor: { units?: Array<{ id: string }>; unit?: { id: string } } }).actor.unit?.id).toBe(unit.unitId);
  });

  it('NM-2: Inner Mongolia adds a registered operator by mobile + graphic captcha + SMS code; an unregistered mobile is told so beside the input', async () => {
    const { main } = await unitSignedIn('neimenggu');
    const other = await registeredUnit(suite, 'neimenggu');
    clock.advanceSeconds(61);
    const form = await open(main, '/neimenggu/hall/operators');
    expect(inputTag(form.html, 'mobile')).toMatch(/type="tel"/);
    expect(inputTag(form.html, 'idNumber')).toBe('');
    expect(form.html).not.toContain('data-mode="new"');
    const stranger = await post(main, '/neimenggu/hall/operators/add', { _csrf: form.token, mode: 'existing', mobile: freshMobile(), smsCode: '', ...(await pageCaptcha(suite.http, form.html)), action: 'send-code' });
    expect(stranger.status).toBe(404);
    expect(errorBeside(stranger.html, 'mobile')).toContain('尚未注册经办人账号');
    const before = await outboxCount(other.mobile);
    const sent = await post(main, '/neimenggu/hall/operators/add', { _csrf: stranger.token, mode: 'existing', mobile: other.mobile, smsCode: '', ...(await pageCaptcha(suite.http, stranger.html)), action: 'send-code' });
    expect(sent.status).toBe(200);
    const added = await post(main, '/neimenggu/hall/operators/add', { _csrf: sent.token, mode: 'existing', mobile: other.mobile, smsCode: await newestCode(other.mobile, before), action: 'add' });
    expect(added.status).toBe(303);
    expect(row((await open(main, added.location ?? '')).html, other.mobile)).toContain(`<td>${other.operator.name}</td>`);
    const again = await post(main, '/neimenggu/hall/operators/add', { _csrf: sent.token, mode: 'existing', mobile: other.mobile, smsCode: '123456', action: 'add' });
    expect(again.status).toBe(409);
    expect(errorBeside(again.html, 'mobile')).toBe('该经办人已是本单位的经办人');
  });

  it('an operator gets a Chinese 403 page with the way back to the hall, and an unsigned visitor is sent to log in; neither changes anything', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const [mine] = await operatorsOf(main, 'jilin');
    const id = mine?.operatorId ?? '';
    const operator = await signedIn(suite, 'jilin', unit.mobile, unit.operatorPassword);
    const refused = await open(operator, '/jilin/hall/operators');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('只有单位账号（主账号）可以管理本单位的经办人');
    expect(refused.html).toContain('href="/jilin/hall" data-link="back-to-hall"');
    const hall = await open(operator, '/jilin/hall');
    const forged = await post(operator, `/jilin/hall/operators/${id}/password`, { _csrf: hall.token, newPassword: 'Hack#202600', confirmPassword: 'Hack#202600' });
    expect(forged.status).toBe(403);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.mobile, unit.operatorPassword)).status).toBe(201);

    const visitor = request.agent(suite.http);
    const away = await open(visitor, '/jilin/hall/operators');
    expect(away.status).toBe(303);
    expect(away.location).toBe(`/jilin/login?next=${encodeURIComponent('/jilin/hall/operators')}`);
    const loginPage = await open(visitor, '/jilin/login');
    const posted = await post(visitor, `/jilin/hall/operators/${id}/unbind`, { _csrf: loginPage.token, confirm: 'yes' });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/jilin/login');
    expect(await operatorsOf(main, 'jilin')).toHaveLength(1);
  });

  it('isolation: a unit cannot reset, unbind or authorise another unit’s operator through the page (404, nothing changes)', async () => {
    const mine = await unitSignedIn('jilin');
    const theirs = await unitSignedIn('jilin');
    const [their] = await operatorsOf(theirs.main, 'jilin');
    const id = their?.operatorId ?? '';
    const panel = await open(mine.main, `/jilin/hall/operators?reset=${id}`);
    expect(panel.status).toBe(404);
    expect(panel.html).toContain('本单位没有该经办人');
    expect(panel.html).not.toContain('data-section="reset"');
    expect(row(panel.html, theirs.unit.mobile)).toBe('');
    const reset = await post(mine.main, `/jilin/hall/operators/${id}/password`, { _csrf: panel.token, newPassword: 'Hack#202600', confirmPassword: 'Hack#202600' });
    expect(reset.status).toBe(404);
    expect(reset.html).toContain('本单位没有该经办人');
    expect((await post(mine.main, `/jilin/hall/operators/${id}/unbind`, { _csrf: reset.token, confirm: 'yes' })).status).toBe(404);
    expect((await post(mine.main, `/jilin/hall/operators/${id}/procurement-authorisation`, { _csrf: reset.token, authorisation: 'grant' })).status).toBe(404);
    expect((await post(mine.main, '/jilin/hall/operators/not-a-uuid/unbind', { _csrf: reset.token, confirm: 'yes' })).status).toBe(404);
    const after = await operatorsOf(theirs.main, 'jilin');
    expect(after).toHaveLength(1);
    expect(after[0]?.procurementAuthorisedAt).toBeUndefined();
    expect((await login(request.agent(suite.http), suite.http, 'jilin', theirs.unit.mobile, theirs.unit.operatorPassword)).status).toBe(201);
  });
});

describe('单位信息 page', () => {
  async function coreDataMissing(uscc: string): Promise<void> {
    await suite.testApp.app.get(DataSource).query(`UPDATE registry_entries SET core_base_data = false WHERE uscc = $1`, [uscc]);
  }

  it('XZ-9: where the core system lacks the unit’s base data, Tibet’s page gives the manual’s message and that procurement is not affected', async () => {
    const { unit, main } = await unitSignedIn('xizang');
    await coreDataMissing(unit.uscc);
    const page = await open(main, '/xizang/hall/unit');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/xizang/hall" data-link="back-to-hall">← 返回服务大厅</a>');
    expect(page.html).toContain('核心系统不存在单位的统一社会信用代码对应的单位基本数据，无法操作');
    expect(page.html).toContain('此问题不影响医药采购业务的办理，继续操作后续流程即可');
    expect(page.html).not.toContain(unit.unit.legalRepresentative ?? 'x');
    expect(page.html).toContain(unit.uscc);
  });

  it('XZ-9: a unit the core system knows sees its registered details under the profile’s labels; no deregistration outside Jilin', async () => {
    const { unit, main } = await unitSignedIn('xizang');
    const page = await open(main, '/xizang/hall/unit');
    expect(page.html).not.toContain('data-core-data-missing');
    expect(page.html).toContain(`<div class="summary-row" data-row="legalRepresentative"><dt>法定代表人</dt><dd>${unit.unit.legalRepresentative ?? ''}</dd></div>`);
    expect(page.html).toContain(`<dt>统一社会信用代码</dt><dd>${unit.uscc}</dd>`);
    expect(page.html).not.toContain('data-row="unitPassword"');
    expect(page.html).not.toContain('data-form="deregister"');
  });

  it('JL-8: Jilin’s unit account is told it cannot transact, and deregisters with its password and the typed 注销网厅账号; the hall cookie is cleared', async () => {
    const { unit, main } = await unitSignedIn('jilin');
    const page = await open(main, '/jilin/hall/unit');
    expect(page.html).toContain('data-can-transact="no"');
    expect(page.html).toContain('单位账号可找回密码、修改经办人密码、注销网厅账号，但不能办理业务，只有经办人账号可以');
    expect(page.html).toContain('data-form="deregister"');
    expect(page.html).toContain('单位账号可注销网厅账号，医保账户不会注销');
    expect(page.html).toContain('本单位经办人的账号保留');
    const unconfirmed = await post(main, '/jilin/hall/unit/deregistration', { _csrf: page.token, password: unit.password, confirmation: '注销' });
    expect(unconfirmed.status).toBe(400);
    expect(errorBeside(unconfirmed.html, 'confirmation')).toBe('请输入“注销网厅账号”以确认');
    expect(inputTag(unconfirmed.html, 'confirmation')).toContain('value="注销"');
    expect(inputTag(unconfirmed.html, 'password')).toContain('value=""');
    const wrong = await post(main, '/jilin/hall/unit/deregistration', { _csrf: unconfirmed.token, password: 'Wrong#Pass1', confirmation: '注销网厅账号' });
    expect(wrong.status).toBe(401);
    expect(errorBeside(wrong.html, 'password')).toBe('账号或密码错误');
    expect(inputTag(wrong.html, 'confirmation')).toContain('value="注销网厅账号"');
    const res = await main.post('/jilin/hall/unit/deregistration').set('Accept', 'text/html').type('form').send(new URLSearchParams({ _csrf: wrong.token, password: unit.password, confirmation: '注销网厅账号' }).toString());
    const done = pageOf(res);
    expect(done.status).toBe(200);
    expect(done.html).toContain('网厅账号已注销');
    expect(done.html).toContain(`单位账号 ${unit.account} 的网上服务大厅账号已注销`);
    expect(done.html).toContain('1 名经办人已解除与本单位的绑定，其经办人账号保留');
    expect(done.html).toContain('href="/jilin/" data-link="province-home"');
    const cookie = sessionCookieName('hall', 'jilin');
    const cookies = res.headers['set-cookie'] as unknown as string[] | undefined;
    expect((cookies ?? []).some((c) => c.startsWith(`${cookie}=;`) && c.includes('Expires=Thu, 01 Jan 1970'))).toBe(true);
    expect((await open(main, '/jilin/hall')).location).toMatch(/^\/jilin\/login/);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.account, unit.password)).status).toBe(403);
  });

  it('JL-8: Hunan’s page has no deregistration, its unit account transacts, and a posted deregistration changes nothing', async () => {
    const { unit, main } = await unitSignedIn('hunan');
    const page = await open(main, '/hunan/hall/unit');
    expect(page.html).toContain('data-can-transact="yes"');
    expect(page.html).not.toContain('data-form="deregister"');
    // The page has no form, so the token comes from the hall's (its logout form).
    const hall = await open(main, '/hunan/hall');
    const posted = await post(main, '/hunan/hall/unit/deregistration', { _csrf: hall.token, password: unit.password, confirmation: '注销网厅账号' });
    expect(posted.status).toBe(400);
    expect(posted.html).toContain('本省未提供注销网厅账号');
    await main.get('/api/v1/provinces/hunan/hall').expect(200);
  });

  it('an operator gets a Chinese 403 page and an unsigned visitor is sent to log in', async () => {
    const { unit } = await unitSignedIn('jilin');
    const operator = await signedIn(suite, 'jilin', unit.mobile, unit.operatorPassword);
    const refused = await open(operator, '/jilin/hall/unit');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('只有单位账号（主账号）可以进入单位管理');
    expect(refused.html).toContain('href="/jilin/hall" data-link="back-to-hall"');
    const hall = await open(operator, '/jilin/hall');
    expect((await post(operator, '/jilin/hall/unit/deregistration', { _csrf: hall.token, password: unit.operatorPassword, confirmation: '注销网厅账号' })).status).toBe(403);
    const away = await open(request.agent(suite.http), '/jilin/hall/unit');
    expect(away.status).toBe(303);
    expect(away.location).toBe(`/jilin/login?next=${encodeURIComponent('/jilin/hall/unit')}`);
  });
});
