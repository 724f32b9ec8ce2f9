/**
 * The CA pages driven as a browser without scripts (HN-1, HN-8, HN-11, HN-12, HN-13): the login
 * page's CA tab, 网厅 CA 绑定 with its promise and due time, the administrator's review queue, and in
 * procurement CA账号登录 with 账号激活 and 账号管理 CA绑定/CA解绑. The signature is what the USB-key
 * driver would produce; here the test signs the challenge the page shows.
 */
import request from 'supertest';
import { testAuthority, testClient, type TestClient } from '#src/ca/pki/test-pki.js';
import { devTrustDir, trustRoot, unitInProcurement } from '#test/support/ca-journey.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { htmlText, openPage, postForm, type Page } from '#test/support/page-driver.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const P = 'hunan';
const trustDir = devTrustDir();
const authority = testAuthority('sm2', { intermediate: true, name: '页面测试CA' });
trustRoot(trustDir, P, 'hunan-ca', 'pages', authority);
const suite = useTestApp({ caDevTrustDir: trustDir });

/** The fields a CA form on the page posts, the challenge it shows signed by the client. */
function signedFields(page: Page, client: TestClient): Record<string, string> {
  const challengeId = /name="challengeId" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
  const challenge = htmlText(/data-challenge>([^<]+)</.exec(page.html)?.[1] ?? '');
  expect(challenge).toMatch(/^hunan:/);
  return { _csrf: page.token, challengeId, certificate: client.pem, signature: client.sign(challenge) };
}

describe('CA pages', () => {
  it('HN-1, HN-8, HN-13: the CA tab, the binding request page with its promise, the administrator’s approval, then 机构登录 by certificate', async () => {
    const unit = await registeredUnit(suite, P);
    const client = testClient(authority, { unitName: unit.unit.unitName, uscc: unit.uscc });
    const browser = request.agent(suite.http);

    const tab = await openPage(browser, '/hunan/login?method=ca');
    expect(tab.status).toBe(200);
    expect(tab.html).toContain('data-form="ca-login"');
    // HN-13: the vendor's driver download beside the form.
    expect(htmlText(tab.html)).toContain('http://www.hunca.com.cn/findByArticleType.html?articleType=11');
    const unbound = await postForm(browser, '/hunan/login', { method: 'ca', ...signedFields(tab, client) });
    expect(unbound.status).toBe(401);
    expect(unbound.html).toContain(client.certificate.parsed.serial);
    expect(unbound.html).toContain('data-challenge');

    const hall = await signedIn(suite, P, unit.account, unit.password);
    expect((await openPage(hall, '/hunan/hall')).html).toContain('/hunan/hall/ca-binding');
    const form = await openPage(hall, '/hunan/hall/ca-binding');
    expect(form.status).toBe(200);
    expect(form.html).toContain('提交后 24 小时（工作日）内生效。');
    expect(form.html).toContain('未计入法定节假日');
    const sent = await postForm(hall, '/hunan/hall/ca-binding', { _csrf: form.token, unitName: unit.unit.unitName ?? '', uscc: unit.uscc, serial: client.certificate.parsed.serial });
    expect(sent.status).toBe(201);
    expect(sent.html).toMatch(/预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前生效/);
    expect(sent.html).toContain('data-status="pending"');

    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, P));
    expect((await openPage(admin, '/hunan/admin')).html).toContain('href="/hunan/admin/ca-bindings"');
    const queue = await openPage(admin, '/hunan/admin/ca-bindings');
    expect(queue.html).toContain('data-admin-nav="ca-bindings"');
    const requestId = /data-request="([^"]+)"/.exec(queue.html)?.[1] ?? '';
    expect(queue.html).toContain(unit.unit.unitName);
    const approved = await postForm(admin, `/hunan/admin/ca-bindings/${requestId}/approval`, { _csrf: queue.token });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain('data-notice');

    const again = await openPage(browser, '/hunan/login?method=ca');
    const done = await postForm(browser, '/hunan/login', { method: 'ca', ...signedFields(again, client) });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/hunan/hall');
    expect((await browser.get('/api/v1/provinces/hunan/session').expect(200)).body).toMatchObject({ kind: 'unit', account: unit.account });
  });

  it('HN-8: an operator is told the binding request is the unit account’s', async () => {
    const unit = await registeredUnit(suite, P);
    const operator = await signedIn(suite, P, unit.mobile, unit.operatorPassword);
    const page = await openPage(operator, '/hunan/hall/ca-binding');
    expect(page.status).toBe(403);
    expect(page.html).toContain('单位账号');
  });

  it('HN-11, HN-12: CA账号登录 with 账号激活, then 账号管理 CA解绑 and CA绑定 for the sub-account', async () => {
    const { unit, main, operator } = await unitInProcurement(suite, P);
    const op = await operator();
    const client = testClient(authority, { unitName: unit.unit.unitName, uscc: unit.uscc });
    const browser = request.agent(suite.http);

    expect((await openPage(browser, '/hunan/procurement/login')).html).toContain('href="/hunan/procurement/ca-login"');
    const login = await openPage(browser, '/hunan/procurement/ca-login');
    const offered = await postForm(browser, '/hunan/procurement/ca-login', signedFields(login, client));
    expect(offered.status).toBe(409);
    expect(offered.html).toContain('data-activation');
    expect(offered.html).toContain(unit.account);
    const ticket = /name="activationTicket" value="([^"]+)"/.exec(offered.html)?.[1] ?? '';
    const activated = await postForm(browser, '/hunan/procurement/ca-login', { _csrf: offered.token, activationTicket: ticket });
    expect(activated.status).toBe(303);
    expect(activated.location).toBe('/hunan/procurement');

    const home = await openPage(browser, '/hunan/procurement');
    expect(home.html).toContain('href="/hunan/procurement/ca-bindings"');
    const accounts = await openPage(browser, '/hunan/procurement/ca-bindings');
    expect(accounts.html).toContain(client.certificate.parsed.serial);
    expect(accounts.html).toContain(`data-account="${op.actor.accountId}"`);
    const unbound = await postForm(browser, `/hunan/procurement/ca-bindings/${main.actor.accountId}/unbind`, { _csrf: accounts.token });
    expect(unbound.status).toBe(200);
    expect(unbound.html).not.toContain(client.certificate.parsed.serial);

    const opClient = testClient(authority, { unitName: unit.unit.unitName, uscc: unit.uscc });
    const bindForm = await openPage(browser, `/hunan/procurement/ca-bindings?bind=${op.actor.accountId}`);
    expect(bindForm.html).toContain('data-form="ca-bind"');
    const bound = await postForm(browser, '/hunan/procurement/ca-bindings', { accountId: op.actor.accountId, ...signedFields(bindForm, opClient) });
    expect(bound.status).toBe(201);
    expect(bound.html).toContain(opClient.certificate.parsed.serial);

    // The sub-account's page lists itself only (HN-12).
    const own = await openPage(op.tps, '/hunan/procurement/ca-bindings');
    expect(own.html).toContain(`data-account="${op.actor.accountId}"`);
    expect(own.html).not.toContain(`data-account="${main.actor.accountId}"`);
  });
});
