/**
 * CASL on every procurement route (issue 9, item 2), generated from the running app's routes:
 * - the route-policy check: every procurement route names its menu button (@RequiresPermission) or
 *   says any signed-in account may use it (@AnyProcurementAccount), and every button it names is one
 *   of the national menus';
 * - the isolation matrix: every route that names a button × another unit's main account, another
 *   province's account, a disabled account, an unassigned operator, and an operator whose role
 *   holds every button of the menu but the route's — no access, no data of unit A, nothing of A
 *   changed. Procurement pages that hold a button through the same guard (账号管理, JL-15) run it
 *   too, as a browser: HTML, forms with a CSRF token, a 303 to the login where the API says 401.
 */
import { randomUUID } from 'node:crypto';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { ANY_PROCUREMENT_ACCOUNT, ROUTE_PERMISSION, type RoutePermission } from '#src/procurement/procurement-permission.guard.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { codeIn, outboxTexts, registeredUnit, signedIn, solvedCaptcha } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;
const PREFIX = 'api/v1/provinces/:province/procurement/';
/** Procurement pages that hold a menu button through the same guard as the API (账号管理, JL-15). */
const PAGE_PREFIX = ':province/procurement/';
/** The ways in: they open procurement sessions (or, HN-10, ask for an account) and are tested where they live. */
const ENTRANCES = new Set(['POST procurement/sessions', 'POST procurement/distributor-registrations']);

interface ProcurementRoute {
  method: string;
  path: string;
  permission?: RoutePermission | undefined;
  anyAccount: boolean;
  /** A page (HTML, forms with a CSRF token) rather than an API route. */
  page: boolean;
}

function procurementRoutes(): ProcurementRoute[] {
  const reflector = suite.testApp.app.get(Reflector);
  const scanner = new MetadataScanner();
  const found: ProcurementRoute[] = [];
  for (const wrapper of [...suite.testApp.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()])) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    if (!controller) continue;
    const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
    for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const full of bases.flatMap((base) => [paths].flat().map((p) => [base, p].map((x) => x.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')))) {
        const permission = reflector.getAllAndOverride<RoutePermission | undefined>(ROUTE_PERMISSION, [handler, controller]);
        const page = full.startsWith(PAGE_PREFIX);
        // Pages with their own checks (the home, CA绑定…) are not routes of a menu button.
        if (!full.startsWith(PREFIX) && !(page && permission)) continue;
        const path = full.slice((page ? ':province/' : 'api/v1/provinces/:province/').length);
        if (ENTRANCES.has(`${method} ${path}`)) continue;
        found.push({ method, path, permission, anyAccount: reflector.getAllAndOverride<boolean | undefined>(ANY_PROCUREMENT_ACCOUNT, [handler, controller]) === true, page });
      }
    }
  }
  return found;
}

async function enter(hall: request.Agent, province: string): Promise<{ agent: request.Agent; accountId: string }> {
  const { ticket } = (await hall.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const agent = request.agent(suite.http);
  const res = await agent.post(`${api(province)}/procurement/sessions`).send({ ticket }).expect(201);
  return { agent, accountId: (res.body as { actor: { accountId: string } }).actor.accountId };
}

/** A certified manufacturer in procurement: its main account and one operator (who entered). */
async function unit(province: string) {
  const u = await registeredUnit(suite, province, { roleTypes: ['manufacturer'] });
  const hall = await signedIn(suite, province, u.account, u.password);
  await hall.post(`${api(province)}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const main = await enter(hall, province);
  const operatorHall = await signedIn(suite, province, u.mobile, u.operatorPassword);
  // NM-4, AH-3: where the province always asks, the operator chooses the unit first.
  if (province === 'anhui' || province === 'neimenggu') await operatorHall.put(`${api(province)}/session/unit`).send({ unitId: u.unitId }).expect(200);
  const operator = await enter(operatorHall, province);
  return { u, hall, main, operator, operatorHall };
}

describe('procurement authorisation', () => {
  it('N-6: every procurement route names its menu button or is open to any signed-in account, and every button exists', () => {
    const routes = procurementRoutes();
    expect(routes.filter((r) => !r.page).length).toBeGreaterThan(8);
    expect(routes.filter((r) => r.page).map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET procurement/accounts', 'POST procurement/accounts/:accountId/role', 'POST procurement/accounts/:accountId/status', 'GET procurement/roles', 'POST procurement/roles/:roleId/accounts/:accountId', 'GET procurement/products', 'POST procurement/products/:listedId/match']));
    expect(routes.filter((r) => !r.permission && !r.anyAccount).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const national = suite.testApp.app.get(ProfileRegistry).require('hunan').profile.procurement.menus.flatMap((m) => m.items);
    const unknown = routes.filter((r) => r.permission && !national.some((i) => i.id === r.permission?.menu && i.actions.some((a) => a.id === r.permission?.action)));
    expect(unknown.map((r) => `${r.method} ${r.path} → ${r.permission?.menu}:${r.permission?.action}`)).toEqual([]);
  });

  it('N-6, JL-14, JL-15: every button route (API and page) × another unit, another province, a disabled account, an unassigned operator, a role lacking the button — no access, no data of A, A unchanged', async () => {
    const P = 'hunan';
    const a = await unit(P);
    const b = await unit(P);
    const c = await unit('anhui');
    // A's role holding everything; its second operator (disabled) holds it.
    const menus = suite.testApp.app.get(ProfileRegistry).require(P).profile.procurement.menus.flatMap((m) => m.items).filter((i) => !i.roleTypes || i.roleTypes.includes('manufacturer'));
    const everything = Object.fromEntries(menus.map((i) => [i.id, i.actions.map((x) => x.id)]));
    const role = (await a.main.agent.post(`${api(P)}/procurement/roles`).send({ name: '全部权限', remark: '', permissions: everything }).expect(201)).body as { roleId: string; version: number };
    const probe = (await a.main.agent.post(`${api(P)}/procurement/roles`).send({ name: '缺一个按钮', remark: '', permissions: {} }).expect(201)).body as { roleId: string };
    await a.main.agent.put(`${api(P)}/procurement/roles/${probe.roleId}/accounts/${a.operator.accountId}`).expect(200);
    const second = await registeredUnit(suite, P);
    // The disabled account: another operator of A, bound in the hall, entered, given everything, then 停用.
    clock.advanceSeconds(61);
    const disabledAgent = await (async () => {
      await a.hall.post(`${api(P)}/hall/operators/sms-codes`).send({ mobile: second.mobile, ...(await solvedCaptcha(suite.http, P)) }).expect(202);
      const smsCode = codeIn((await outboxTexts(suite.http, second.mobile, 2))[0]);
      await a.hall.post(`${api(P)}/hall/operators`).send({ mobile: second.mobile, smsCode }).expect(201);
      const hall = await signedIn(suite, P, second.mobile, second.operatorPassword);
      await hall.put(`${api(P)}/session/unit`).send({ unitId: a.u.unitId }).expect(200);
      const entered = await enter(hall, P);
      await a.main.agent.put(`${api(P)}/procurement/roles/${role.roleId}/accounts/${entered.accountId}`).expect(200);
      await a.main.agent.put(`${api(P)}/procurement/accounts/${entered.accountId}/status`).send({ status: 'disabled' }).expect(200);
      return entered.agent;
    })();
    const unassigned = await (async () => {
      const fresh = await unit(P);
      return fresh.operator.agent;
    })();
    const aIds = [a.u.unitId, a.u.uscc, a.u.account, a.u.mobile, a.main.accountId, a.operator.accountId, role.roleId, probe.roleId];
    const params: Record<string, string> = { roleId: role.roleId, accountId: a.operator.accountId };
    const routes = procurementRoutes().filter((r) => r.permission);
    const failures: string[] = [];
    // A page form carries the browser's CSRF token, so a refusal is the guard's and not the token check's.
    const csrf = new Map<request.Agent, string>();
    for (const agent of [b.main.agent, c.main.agent, disabledAgent, unassigned, a.operator.agent]) {
      csrf.set(agent, /name="_csrf" value="([^"]+)"/.exec((await agent.get(`/${P}/login`).set('Accept', 'text/html')).text)?.[1] ?? '');
    }
    expect([...csrf.values()].filter((token) => token === '')).toEqual([]);
    for (const route of routes) {
      const permission = route.permission as RoutePermission;
      const url = (province: string) => `${route.page ? `/${province}` : api(province)}/${route.path.split('/').map((s) => (s.startsWith(':') ? (params[s.slice(1)] ?? randomUUID()) : s)).join('/')}`;
      const call = (agent: request.Agent, province = P) => {
        const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
        if (!route.page) return agent[method](url(province)).send({});
        const sent = agent[method](url(province)).set('Accept', 'text/html');
        return method === 'get' ? sent : sent.type('form').send(new URLSearchParams({ _csrf: csrf.get(agent) ?? '', status: 'disabled', confirm: 'yes', roleId: '' }).toString());
      };
      // Without a procurement session of the province a page sends to the procurement login (303), as every signed-in page does.
      const signedOut = route.page ? 303 : 401;
      const label = `${route.method} ${route.path}`;
      // The probe role: every button of the route's menu but the route's own.
      const others = everything[permission.menu]?.filter((x) => x !== permission.action) ?? [];
      await a.main.agent.put(`${api(P)}/procurement/roles/${probe.roleId}`).send({ name: '缺一个按钮', remark: '', permissions: others.length > 0 ? { [permission.menu]: others } : {} }).expect(200);
      const answers: Array<[string, request.Response, (s: number) => boolean]> = [
        ['another unit', await call(b.main.agent), (s) => s < 500],
        ['another province', await call(c.main.agent), (s) => s === signedOut],
        ['disabled account', await call(disabledAgent), (s) => s === signedOut],
        ['unassigned operator', await call(unassigned), (s) => s === 403],
        ['role lacking the button', await call(a.operator.agent), (s) => s === 403],
      ];
      for (const [who, res, ok] of answers) {
        if (!ok(res.status)) failures.push(`${label} · ${who}: status ${String(res.status)}`);
        const leaked = aIds.filter((id) => who !== 'role lacking the button' && res.text.includes(id));
        if (leaked.length > 0) failures.push(`${label} · ${who}: answer holds A's ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    // A is as it was: both roles there, the full one unchanged, its operator still active and assigned.
    const roles = (await a.main.agent.get(`${api(P)}/procurement/roles`).expect(200)).body as Array<{ roleId: string; version: number; name: string }>;
    expect(roles.find((r) => r.roleId === role.roleId)).toMatchObject({ version: role.version, name: '全部权限' });
    const accounts = (await a.main.agent.get(`${api(P)}/procurement/accounts`).expect(200)).body as Array<{ accountId: string; status: string; roleId?: string }>;
    expect(accounts.find((x) => x.accountId === a.operator.accountId)).toMatchObject({ status: 'active', roleId: probe.roleId });
  }, 120_000);
});
