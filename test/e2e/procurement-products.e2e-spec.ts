/**
 * 药品交易 → 挂网产品对码 (JL-16): a manufacturer's listed products matched to the national base
 * product catalogue (国家基础产品信息); the menu is for manufacturers only (N-3), for the accounts
 * whose role grants its buttons, never the main account of a unit that does not transact (JL-8);
 * concurrent matches of one product end in one result (NM-6).
 */
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { ProductsService } from '#src/procurement/products/products.service.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { htmlText, openPage, postForm } from '#test/support/page-driver.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}/procurement`;

interface Listed {
  id: string;
  listingCode: string;
  genericName: string;
  approvalNumber: string;
  matched?: { nationalProductId: string; code: string } | undefined;
}
interface National {
  id: string;
  code: string;
  genericName: string;
  tradeName: string;
  dosageForm: string;
  specification: string;
  manufacturer: string;
  approvalNumber: string;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

async function enterProcurement(hall: request.Agent, province: string): Promise<request.Agent> {
  const { ticket } = (await hall.post(`/api/v1/provinces/${province}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const tps = request.agent(suite.http);
  await tps.post(`${api(province)}/sessions`).send({ ticket }).expect(201);
  return tps;
}

/** A certified unit of one role type: its main account and its first operator, both in procurement. */
async function unitInProcurement(province: string, roleType = 'manufacturer') {
  const unit = await registeredUnit(suite, province, { roleTypes: [roleType] });
  const hall = await signedIn(suite, province, unit.account, unit.password);
  await hall.post(`/api/v1/provinces/${province}/hall/certifications`).send({ roleType }).expect(201);
  if (province === 'jilin') {
    // JL-9: in Jilin the unit account gives its operator 招采授权 first.
    const [row] = (await hall.get(`/api/v1/provinces/${province}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
    await hall.put(`/api/v1/provinces/${province}/hall/operators/${row?.operatorId ?? ''}/procurement-authorisation`).expect(200);
  }
  const main = await enterProcurement(hall, province);
  const operatorHall = await signedIn(suite, province, unit.mobile, unit.operatorPassword);
  if (province === 'jilin') await operatorHall.post(`/api/v1/provinces/${province}/hall/certifications`).send({ roleType }).expect(201); // JL-5: operators certify too
  if (province === 'anhui' || province === 'neimenggu') await operatorHall.put(`/api/v1/provinces/${province}/session/unit`).send({ unitId: unit.unitId }).expect(200);
  const operator = await enterProcurement(operatorHall, province);
  return { unit, main, operator };
}

/** Gives the unit's operator a role of these buttons. */
async function grant(main: request.Agent, province: string, actions: string[]): Promise<void> {
  const role = (await main.post(`${api(province)}/roles`).send({ name: `对码${actions.join('')}`, remark: '测试', permissions: { 'product-matching': actions } }).expect(201)).body as { roleId: string };
  const tab = (await main.get(`${api(province)}/roles/${role.roleId}/accounts?tab=unassigned`).expect(200)).body as { accounts: Array<{ accountId: string; kind: string }> };
  const accountId = tab.accounts.find((a) => a.kind === 'operator')?.accountId ?? '';
  await main.put(`${api(province)}/roles/${role.roleId}/accounts/${accountId}`).expect(200);
}

const listed = async (agent: request.Agent, province: string, query = '') => (await agent.get(`${api(province)}/listed-products${query}`).expect(200)).body as Page<Listed>;
const search = async (agent: request.Agent, province: string, query: string) => (await agent.get(`${api(province)}/national-products?${query}`).expect(200)).body as Page<National>;
const db = () => suite.testApp.app.get<DataSource>(getDataSourceToken());
const auditOf = (unitId: string, kind: string) => db().query<Array<{ detail: { listedProductId: string; nationalProductId: string } }>>(`SELECT detail FROM audit_events WHERE unit_id = $1 AND kind = $2 ORDER BY at`, [unitId, kind]);

describe('挂网产品对码', () => {
  it('JL-16: a manufacturer lists its listed products, searches the national catalogue by every field, matches and unmatches, each in the audit trail', async () => {
    const { unit, main } = await unitInProcurement('hunan');
    const mine = await listed(main, 'hunan');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((p) => p.matched === undefined)).toBe(true);
    const product = mine.items[0];
    if (!product) throw new Error('no listed product');

    const byApproval = await search(main, 'hunan', `approvalNumber=${encodeURIComponent(product.approvalNumber)}`);
    expect(byApproval.items.map((n) => n.approvalNumber)).toEqual([product.approvalNumber]);
    const byName = await search(main, 'hunan', `name=${encodeURIComponent('阿莫西林')}`);
    expect(byName.items.length).toBeGreaterThanOrEqual(2);
    expect(byName.items.every((n) => n.genericName.includes('阿莫西林'))).toBe(true);
    expect((await search(main, 'hunan', `name=${encodeURIComponent('阿莫仙')}`)).items.map((n) => n.tradeName)).toEqual(['阿莫仙']);
    const narrowed = await search(main, 'hunan', `name=${encodeURIComponent('阿莫西林')}&specification=0.5g&dosageForm=${encodeURIComponent('胶囊')}`);
    expect(narrowed.items.map((n) => n.specification)).toEqual(['0.5g']);
    expect((await search(main, 'hunan', `manufacturer=${encodeURIComponent('辉瑞')}`)).items.every((n) => n.manufacturer.includes('辉瑞'))).toBe(true);
    expect((await search(main, 'hunan', `keyword=${encodeURIComponent('国药准字Z')}`)).items.every((n) => n.approvalNumber.startsWith('国药准字Z'))).toBe(true);
    // Bigrams in the wrong order are in the index but not in the text: the recheck drops them.
    expect((await search(main, 'hunan', `name=${encodeURIComponent('林西莫阿')}`)).total).toBe(0);
    const paged = await search(main, 'hunan', 'pageSize=5&page=2');
    expect(paged).toMatchObject({ page: 2, pageSize: 5 });
    expect(paged.items).toHaveLength(5);
    expect((await main.get(`${api('hunan')}/national-products?pageSize=500`).expect(400)).body).toMatchObject({ code: 'PRODUCT_QUERY_INVALID' });

    const target = byApproval.items[0];
    if (!target) throw new Error('no catalogue entry');
    const matched = (await main.put(`${api('hunan')}/listed-products/${product.id}/match`).send({ nationalProductId: target.id }).expect(200)).body as Listed;
    expect(matched.matched).toMatchObject({ nationalProductId: target.id, code: target.code });
    expect((await listed(main, 'hunan', '?matched=true')).items.map((p) => p.id)).toEqual([product.id]);
    expect((await main.put(`${api('hunan')}/listed-products/${product.id}/match`).send({ nationalProductId: byName.items[1]?.id }).expect(409)).body).toMatchObject({ code: 'PRODUCT_ALREADY_MATCHED' });
    const unmatched = (await main.delete(`${api('hunan')}/listed-products/${product.id}/match`).expect(200)).body as Listed;
    expect(unmatched.matched).toBeUndefined();
    expect((await main.delete(`${api('hunan')}/listed-products/${product.id}/match`).expect(409)).body).toMatchObject({ code: 'PRODUCT_NOT_MATCHED' });
    expect((await main.put(`${api('hunan')}/listed-products/${product.id}/match`).send({ nationalProductId: '00000000-0000-4000-8000-999999999999' }).expect(404)).body).toMatchObject({ code: 'NATIONAL_PRODUCT_NOT_FOUND' });

    expect((await auditOf(unit.unitId, 'product.matched')).map((e) => e.detail)).toEqual([{ listedProductId: product.id, nationalProductId: target.id }]);
    expect((await auditOf(unit.unitId, 'product.unmatched')).map((e) => e.detail)).toEqual([{ listedProductId: product.id, nationalProductId: target.id }]);
  });

  it('N-3: 挂网产品对码 is for manufacturers only; a medical institution’s main account is refused every route', async () => {
    const { main } = await unitInProcurement('hunan', 'medical-institution');
    for (const [method, path] of [
      ['get', 'listed-products'],
      ['get', 'national-products?name=x'],
      ['put', 'listed-products/00000000-0000-4000-8000-000000000001/match'],
      ['delete', 'listed-products/00000000-0000-4000-8000-000000000001/match'],
    ] as const) {
      expect((await main[method](`${api('hunan')}/${path}`).send({ nationalProductId: '00000000-0000-4000-8000-000000000001' }).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    }
  });

  it('JL-16: only accounts whose role grants the buttons may query, match and unmatch', async () => {
    const { main, operator } = await unitInProcurement('neimenggu');
    expect((await operator.get(`${api('neimenggu')}/listed-products`).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    await grant(main, 'neimenggu', ['query']);
    const [product] = (await listed(operator, 'neimenggu')).items;
    const [entry] = (await search(operator, 'neimenggu', `approvalNumber=${encodeURIComponent(product?.approvalNumber ?? '')}`)).items;
    expect((await operator.put(`${api('neimenggu')}/listed-products/${product?.id ?? ''}/match`).send({ nationalProductId: entry?.id }).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    await main.put(`${api('neimenggu')}/roles/${await roleIdOf(main, 'neimenggu')}`).send({ name: '对码query', remark: '测试', permissions: { 'product-matching': ['query', 'match'] } }).expect(200);
    await operator.put(`${api('neimenggu')}/listed-products/${product?.id ?? ''}/match`).send({ nationalProductId: entry?.id }).expect(200);
    expect((await operator.delete(`${api('neimenggu')}/listed-products/${product?.id ?? ''}/match`).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    await main.delete(`${api('neimenggu')}/listed-products/${product?.id ?? ''}/match`).expect(200);
  });

  it('JL-16: on the pages, an operator given 查询 and 对码 lists the products, searches the catalogue by approval number, matches one and sees it matched; no 取消对码 without that button', async () => {
    const { main, operator } = await unitInProcurement('hunan');
    expect((await openPage(operator, '/hunan/procurement/products')).status).toBe(403);
    await grant(main, 'hunan', ['query', 'match']);
    const home = await openPage(operator, '/hunan/procurement/');
    expect(home.html).toContain('<a href="/hunan/procurement/products">挂网产品对码</a>');

    const [product] = (await listed(operator, 'hunan')).items;
    const list = await openPage(operator, '/hunan/procurement/products?matched=false');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`data-listed="${product?.listingCode ?? ''}"`);
    const matchHref = htmlText(new RegExp(`data-listed="${product?.listingCode ?? ''}"[\\s\\S]*?href="([^"]+)" data-link="match"`).exec(list.html)?.[1] ?? '');
    expect(matchHref).toBe(`/hunan/procurement/products/${product?.id ?? ''}`);

    const found = await openPage(operator, `${matchHref}?approvalNumber=${encodeURIComponent(product?.approvalNumber ?? '')}`);
    expect(found.status).toBe(200);
    const [entry] = (await search(operator, 'hunan', `approvalNumber=${encodeURIComponent(product?.approvalNumber ?? '')}`)).items;
    expect(found.html).toContain(`data-national="${entry?.code ?? ''}"`);
    const matched = await postForm(operator, `${matchHref}/match`, { _csrf: found.token, nationalProductId: entry?.id ?? '' });
    expect(matched).toMatchObject({ status: 303, location: matchHref });
    const after = await openPage(operator, matchHref);
    expect(after.html).toMatch(new RegExp(`data-row="matched"><dt>[^<]+</dt><dd>已对码：${entry?.code ?? ''}`));
    expect(after.html).not.toContain('data-form="unmatch"');
    expect((await listed(operator, 'hunan', '?matched=true')).items.map((p) => p.id)).toEqual([product?.id]);
    expect(await postForm(operator, `${matchHref}/unmatch`, { _csrf: found.token })).toMatchObject({ status: 403 });

    // Matching a matched product to another entry (a stale tab) is refused on the page, in words.
    const other = (await search(operator, 'hunan', 'pageSize=2')).items.find((e) => e.id !== entry?.id);
    const again = await postForm(operator, `${matchHref}/match`, { _csrf: found.token, nationalProductId: other?.id ?? '' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('data-alert');
    expect((await openPage(operator, '/hunan/procurement/products?page=0')).status).toBe(400);
  });

  it('JL-16: another unit’s product on the pages is not found and stays unmatched', async () => {
    const a = await unitInProcurement('hunan');
    const b = await unitInProcurement('hunan');
    const [product] = (await listed(a.main, 'hunan')).items;
    const [entry] = (await search(b.main, 'hunan', 'pageSize=1')).items;
    const page = await openPage(b.main, `/hunan/procurement/products/${product?.id ?? ''}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain(product?.listingCode ?? '');
    const own = await openPage(b.main, '/hunan/procurement/');
    expect((await postForm(b.main, `/hunan/procurement/products/${product?.id ?? ''}/match`, { _csrf: own.token, nationalProductId: entry?.id ?? '' })).status).toBe(404);
    expect((await listed(a.main, 'hunan', '?matched=true')).total).toBe(0);
  });

  it('JL-16: another unit’s listed products are not found, nor listed', async () => {
    const a = await unitInProcurement('hunan');
    const b = await unitInProcurement('hunan');
    const aIds = (await listed(a.main, 'hunan')).items.map((p) => p.id);
    const bList = await listed(b.main, 'hunan');
    expect(bList.items.some((p) => aIds.includes(p.id))).toBe(false);
    const [entry] = (await search(b.main, 'hunan', 'pageSize=1')).items;
    expect((await b.main.put(`${api('hunan')}/listed-products/${aIds[0] ?? ''}/match`).send({ nationalProductId: entry?.id }).expect(404)).body).toMatchObject({ code: 'LISTED_PRODUCT_NOT_FOUND' });
    expect((await b.main.delete(`${api('hunan')}/listed-products/${aIds[0] ?? ''}/match`).expect(404)).body).toMatchObject({ code: 'LISTED_PRODUCT_NOT_FOUND' });
    expect((await listed(a.main, 'hunan', '?matched=true')).total).toBe(0);
  });

  it('JL-8, JL-16: the main account of a Jilin manufacturer does not transact, so it cannot match; its operator given the role does', async () => {
    const { unit, main, operator } = await unitInProcurement('jilin');
    expect((await main.get(`${api('jilin')}/listed-products`).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    const ids = await suite.testApp.app.get(ProductsService).seedDemo('jilin' as ProvinceId, unit.unitId);
    expect(ids.length).toBeGreaterThan(0);
    expect((await main.put(`${api('jilin')}/listed-products/${ids[0] ?? ''}/match`).send({ nationalProductId: '00000000-0000-4000-8000-000000000001' }).expect(403)).body).toMatchObject({ code: 'PROCUREMENT_PERMISSION_DENIED' });
    await grant(main, 'jilin', ['query', 'match', 'unmatch']);
    expect((await listed(operator, 'jilin')).items.map((p) => p.id).sort()).toEqual([...ids].sort());
    await operator.put(`${api('jilin')}/listed-products/${ids[0] ?? ''}/match`).send({ nationalProductId: '00000000-0000-4000-8000-000000000001' }).expect(200);
    await operator.delete(`${api('jilin')}/listed-products/${ids[0] ?? ''}/match`).expect(200);
  });

  it('NM-6: concurrent matches of one listed product end in one result', async () => {
    const { unit, main } = await unitInProcurement('neimenggu');
    const [product] = (await listed(main, 'neimenggu')).items;
    const entries = (await search(main, 'neimenggu', 'pageSize=6')).items;
    const results = await Promise.all(entries.map((e) => main.put(`${api('neimenggu')}/listed-products/${product?.id ?? ''}/match`).send({ nationalProductId: e.id })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 200)?.body as Listed;
    const now = (await listed(main, 'neimenggu', '?matched=true')).items;
    expect(now.map((p) => p.matched?.nationalProductId)).toEqual([winner.matched?.nationalProductId]);
    expect(await auditOf(unit.unitId, 'product.matched')).toHaveLength(1);
  });
});

async function roleIdOf(main: request.Agent, province: string): Promise<string> {
  const roles = (await main.get(`${api(province)}/roles`).expect(200)).body as Array<{ roleId: string }>;
  return roles[0]?.roleId ?? '';
}
