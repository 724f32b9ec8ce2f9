/**
 * Tenant isolation of the hall, its sessions and the procurement hand-off (issue 8, item 9): a
 * generated matrix of every route × every session that is not unit A's.
 *
 * The routes are read from the running app (every API route under …/hall, …/session*,
 * …/procurement/, and every other signed-in route of the province API outside the administrators'
 * realm), and must match the ROUTES table below exactly: a new route fails this file until it is
 * given a sample body and a scope here.
 *
 * Per home province (Anhui, where operators choose their unit after login, AH-3, and where branch
 * hospitals have sub-accounts, AH-6; Jilin, with 招采授权 and deregistration, JL-8, JL-9) unit A
 * is registered, certified, its operator bound (and in Jilin authorised), and it entered
 * procurement (in Anhui it also made a branch sub-account). Unit B is in the same province, unit C
 * in Hunan. Each route is then called, with A's ids in its path and body (A's operator id, A's unit
 * id, A's mobile, ID number, password, branch code), by: B's unit account, B's operator (and, where
 * the province asks, before it chose a unit), B's procurement account, C's unit account and C's
 * procurement account on Hunan's own paths, C's cookies on A's province (absent there: cookies are
 * per province), C's session ids under A's province's cookie names, B's session ids under Hunan's
 * names, B's hall and procurement ids swapped, and nobody.
 *
 * What it proves: a route that names one of A's things answers 401/403/404 (or the province does
 * not offer the action at all: 400 *_NOT_OFFERED, before it looks at the target); a route that works
 * on the caller's own unit answers about that unit only; no answer, refusal or not, contains any
 * of A's identifiers the caller did not send itself; a session never answers for another province
 * or realm (401); nothing answers 5xx; after every call the caller is still itself (its own
 * session says nothing of A); and after the whole matrix A is untouched: same operators, bindings
 * and 招采授权, still certified, sessions alive, passwords working, sub-accounts as they were.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import request from 'supertest';
import { IS_PUBLIC } from '#src/authz/public.decorator.js';
import { ManualClock } from '#src/clock/clock.js';
import { sessionCookieName } from '#src/identity/sessions/session.service.js';
import type { RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import { ProductsService } from '#src/procurement/products/products.service.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { freshMobile, login, registeredUnit, solvedCaptcha } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const api = (province: string) => `/api/v1/provinces/${province}`;
const OTHER_PROVINCE = 'hunan';

type Method = 'get' | 'post' | 'put' | 'delete';
type Caller = (method: Method, url: string) => request.Test;

// ---------------------------------------------------------------------------------------------
// The routes, as the running app has them

interface DiscoveredRoute {
  /** `METHOD /api/v1/provinces/:province/…`, the province parameter spelled `:province`. */
  key: string;
  isPublic: boolean;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
const joinPath = (...parts: string[]) => parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');

/** Every route of the province API that a hall, session or procurement caller can reach. */
function discoveredRoutes(): DiscoveredRoute[] {
  const scanner = new MetadataScanner();
  const reflector = suite.testApp.app.get(Reflector);
  const found: DiscoveredRoute[] = [];
  for (const wrapper of [...suite.testApp.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()])) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    if (!controller) continue;
    for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (methodPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true;
      for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const path of asList(methodPaths)) {
          const rest = /^api\/v1\/provinces\/:[^/]+\/(.+)$/.exec(joinPath(base, path))?.[1];
          if (rest === undefined) continue;
          // The brief's prefixes, public or not; and any other signed-in route of the province API,
          // except the administrators' realm (a session of its own, tested with the admin issue).
          const underPrefix = /^(hall|session\w*|procurement)(\/|$)/.test(rest);
          if (underPrefix || (!isPublic && !/^admin(\/|$)/.test(rest))) found.push({ key: `${method} /api/v1/provinces/:province/${rest}`, isPublic });
        }
      }
    }
  }
  return found;
}

/**
 * Public ways in under the prefixes: they open sessions (login, ticket exchange) or ask for an
 * account (HN-10 用户注册), and are tested where they live (procurement-distributors).
 */
const PUBLIC_ENTRANCES = ['POST /api/v1/provinces/:province/sessions', 'POST /api/v1/provinces/:province/procurement/sessions', 'POST /api/v1/provinces/:province/procurement/distributor-registrations'];

// ---------------------------------------------------------------------------------------------
// Unit A, and everybody else

interface Victim {
  province: string;
  roleType: string;
  unitId: string;
  uscc: string;
  account: string;
  password: string;
  unitName: string;
  operatorId: string;
  mobile: string;
  operatorName: string;
  idNumber: string;
  operatorPassword: string;
  procurementAccountId: string;
  /** A role of A's unit (账号角色管理, JL-14). */
  roleId: string;
  /** A listed product of A's unit (挂网产品对码, JL-16). */
  listedProductId: string;
  institutions: RegistryInstitution[];
  branch?: RegistryInstitution | undefined;
  subAccount?: { accountId: string; loginName: string; contactPhone: string } | undefined;
  /** A's own sessions, opened before the matrix: they must survive it. */
  hall: request.Agent;
  operator: request.Agent;
  tps: request.Agent;
}

type Realm = 'hall' | 'procurement';

interface Actor {
  name: string;
  /** The province in the paths it calls. */
  province: string;
  /** Holds no session of that province and realm: every route answers 401. */
  unauthenticated: boolean;
  /** The realm of its session and who that session says it is, checked after every call. */
  own?: { realm: Realm; identity: string } | undefined;
  /** After a call that broke its session (a failure already reported): a new one for the next route. */
  reopen(): Promise<void>;
  /** `fresh` for routes that end the caller's session (log out): a new session for each such call. */
  caller(fresh: boolean): Promise<Caller>;
}

interface World {
  a: Victim;
  b: { unitId: string };
  actors: Actor[];
  /** A's state before the matrix, compared after it. */
  before: Snapshot;
  /** A's state after the last route: each route is compared with it, so a change is reported where it happened. */
  latest: Snapshot;
  bHall: request.Agent;
  bTps: request.Agent;
  cHall: request.Agent;
}

/** What the matrix searches every answer for. */
function identifiersOf(a: Victim): Array<[label: string, value: string]> {
  const all: Array<[string, string | undefined]> = [
    ['unit id', a.unitId],
    ['credit code', a.uscc],
    ['unit account', a.account],
    ['unit name', a.unitName],
    ['unit password', a.password],
    ['operator id', a.operatorId],
    ['operator mobile', a.mobile],
    ['operator name', a.operatorName],
    ['operator ID number', a.idNumber],
    ['operator password', a.operatorPassword],
    ['procurement account id', a.procurementAccountId],
    ['role id', a.roleId],
    ...a.institutions.flatMap((i): Array<[string, string]> => [[`institution code (${i.kind})`, i.code], [`institution name (${i.kind})`, i.name]]),
    ['sub-account id', a.subAccount?.accountId],
    ['sub-account login', a.subAccount?.loginName],
    ['sub-account contact phone', a.subAccount?.contactPhone],
  ];
  return all.filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0);
}

// ---------------------------------------------------------------------------------------------
// The table: every route, what it works on, and the body another unit would send

interface RouteCase {
  /** The rules the route implements (test names). */
  rules: string[];
  /**
   * `other`: the path names one of A's things (A's operator): it must be refused.
   * `own`: the route works on the caller's own unit or session (there is no unit id in the path):
   * it may answer the caller, about the caller, but never with anything of A's.
   */
  scope: 'own' | 'other';
  body?: (w: World, province: string) => unknown;
  /** May send an SMS (to A's operator's phone): the clock moves 61 s around each send. */
  sendsSms?: true;
  /** Ends the caller's session when it succeeds: each actor calls it on a fresh session. */
  endsSession?: true;
}

const INTRUDER_PASSWORD = 'Qinru#20260';
let intruders = 0;

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/provinces/:province/hall': { rules: ['N-5', 'AH-4'], scope: 'own' },
  'POST /api/v1/provinces/:province/hall/certifications': { rules: ['N-5', 'AH-4', 'JL-5', 'HN-9'], scope: 'own', body: (w) => ({ roleType: w.a.roleType }) },
  'GET /api/v1/provinces/:province/hall/operators': { rules: ['JL-9'], scope: 'own' },
  // Adding A's operator to one's own unit starts with a code to the operator's own phone (NM-2):
  // the answer masks the phone; the code never reaches the caller.
  'POST /api/v1/provinces/:province/hall/operators/sms-codes': {
    rules: ['NM-2', 'XZ-8'],
    scope: 'own',
    sendsSms: true,
    body: async (w, province) => ({ mobile: w.a.mobile, idType: 'resident-id', idNumber: w.a.idNumber, ...(await solvedCaptcha(suite.http, province)) }),
  },
  'POST /api/v1/provinces/:province/hall/operators': { rules: ['NM-2', 'XZ-8', 'HN-5'], scope: 'own', body: (w) => ({ mobile: w.a.mobile, idType: 'resident-id', idNumber: w.a.idNumber, smsCode: '000000' }) },
  'DELETE /api/v1/provinces/:province/hall/operators/:operatorId': { rules: ['JL-9', 'HN-5'], scope: 'other' },
  'PUT /api/v1/provinces/:province/hall/operators/:operatorId/password': { rules: ['JL-7', 'JL-9'], scope: 'other', body: () => ({ newPassword: INTRUDER_PASSWORD, confirmPassword: INTRUDER_PASSWORD }) },
  'PUT /api/v1/provinces/:province/hall/operators/:operatorId/procurement-authorisation': { rules: ['JL-9'], scope: 'other' },
  'DELETE /api/v1/provinces/:province/hall/operators/:operatorId/procurement-authorisation': { rules: ['JL-9'], scope: 'other' },
  'GET /api/v1/provinces/:province/hall/unit': { rules: ['JL-8', 'XZ-9'], scope: 'own' },
  // A's password, typed in another unit's session: it deregisters nobody (it is not B's, so B's
  // session must survive it too).
  'POST /api/v1/provinces/:province/hall/deregistration': { rules: ['JL-8'], scope: 'own', body: (w) => ({ password: w.a.password, confirmation: '注销网厅账号' }) },
  'POST /api/v1/provinces/:province/hall/procurement-tickets': { rules: ['N-1', 'N-5', 'JL-12'], scope: 'own' },
  'GET /api/v1/provinces/:province/session': { rules: ['NM-4', 'AH-3'], scope: 'own' },
  'PUT /api/v1/provinces/:province/session/unit': { rules: ['NM-4', 'AH-3'], scope: 'own', body: (w) => ({ unitId: w.a.unitId }) },
  'PUT /api/v1/provinces/:province/session/institution': { rules: ['NM-5'], scope: 'own', body: (w) => ({ institutionCode: w.a.branch?.code ?? w.a.uscc }) },
  'DELETE /api/v1/provinces/:province/session': { rules: [], scope: 'own', endsSession: true },
  // A QR ticket is issued to a device, not a unit: approving one is the caller's own act (HN-1).
  'POST /api/v1/provinces/:province/qr-logins/:ticketId/approval': { rules: ['HN-1'], scope: 'own' },
  'GET /api/v1/provinces/:province/procurement/session': { rules: ['N-1'], scope: 'own' },
  'DELETE /api/v1/provinces/:province/procurement/session': { rules: ['N-1'], scope: 'own', endsSession: true },
  'GET /api/v1/provinces/:province/procurement/sub-accounts': { rules: ['AH-6', 'JL-15'], scope: 'own' },
  'POST /api/v1/provinces/:province/procurement/sub-accounts': {
    rules: ['AH-6', 'JL-15'],
    scope: 'own',
    body: (w) => {
      intruders += 1;
      return { institutionCode: w.a.branch?.code ?? 'H000000000', loginName: `intruder${intruders}x${process.pid}`, password: INTRUDER_PASSWORD, confirmPassword: INTRUDER_PASSWORD, contactName: '冒名者', contactPhone: freshMobile() };
    },
  },
  // HN-8: a request for A's unit from another session is refused on its fields (they are not the caller's unit).
  'GET /api/v1/provinces/:province/hall/ca-binding-requests': { rules: ['HN-8'], scope: 'own' },
  'POST /api/v1/provinces/:province/hall/ca-binding-requests': { rules: ['HN-8'], scope: 'own', body: (w) => ({ unitName: w.a.unitName, uscc: w.a.uscc, serial: '0A1B2C3D' }) },
  // HN-12: A's account named by another unit's session is refused before any certificate is looked at.
  'GET /api/v1/provinces/:province/procurement/ca-bindings': { rules: ['HN-11', 'HN-12'], scope: 'own' },
  'POST /api/v1/provinces/:province/procurement/ca-bindings': { rules: ['HN-11', 'HN-12'], scope: 'own', body: (w) => ({ accountId: w.a.procurementAccountId, challengeId: '00000000-0000-4000-8000-000000000000', certificate: 'x', signature: 'AAAA' }) },
  'DELETE /api/v1/provinces/:province/procurement/ca-bindings/:accountId': { rules: ['HN-11', 'HN-12'], scope: 'other' },
  // 账号角色管理 and 账号管理 (CASL): the caller's own unit's, or A's named in the path and refused.
  'GET /api/v1/provinces/:province/procurement/menus': { rules: ['N-6'], scope: 'own' },
  'GET /api/v1/provinces/:province/procurement/roles': { rules: ['JL-14'], scope: 'own' },
  'POST /api/v1/provinces/:province/procurement/roles': { rules: ['NM-3', 'JL-14'], scope: 'own', body: () => ({ name: `冒名角色${String((intruders += 1))}`, remark: '', permissions: {} }) },
  'PUT /api/v1/provinces/:province/procurement/roles/:roleId': { rules: ['JL-14'], scope: 'other', body: () => ({ name: '被改名', remark: '', permissions: {} }) },
  'DELETE /api/v1/provinces/:province/procurement/roles/:roleId': { rules: ['JL-14'], scope: 'other' },
  'GET /api/v1/provinces/:province/procurement/roles/:roleId/accounts': { rules: ['JL-14', 'XZ-11'], scope: 'other' },
  'PUT /api/v1/provinces/:province/procurement/roles/:roleId/accounts/:accountId': { rules: ['JL-14', 'XZ-10'], scope: 'other' },
  'DELETE /api/v1/provinces/:province/procurement/roles/:roleId/accounts/:accountId': { rules: ['JL-14'], scope: 'other' },
  'GET /api/v1/provinces/:province/procurement/accounts': { rules: ['JL-15'], scope: 'own' },
  'PUT /api/v1/provinces/:province/procurement/accounts/:accountId/role': { rules: ['JL-15'], scope: 'other', body: (w) => ({ roleId: w.a.roleId }) },
  'PUT /api/v1/provinces/:province/procurement/accounts/:accountId/status': { rules: ['JL-15'], scope: 'other', body: () => ({ status: 'disabled' }) },
  'GET /api/v1/provinces/:province/procurement/listed-products': { rules: ['JL-16', 'N-3'], scope: 'own' },
  'GET /api/v1/provinces/:province/procurement/national-products': { rules: ['JL-16', 'N-3'], scope: 'own' },
  'PUT /api/v1/provinces/:province/procurement/listed-products/:productId/match': { rules: ['JL-16', 'NM-6'], scope: 'other', body: () => ({ nationalProductId: '00000000-0000-4000-8000-000000000001' }) },
  'DELETE /api/v1/provinces/:province/procurement/listed-products/:productId/match': { rules: ['JL-16'], scope: 'other' },
};

/** Path parameters other than the province: A's, or (QR) a ticket waiting in the province that offers QR login. */
const PARAMS: Record<string, (w: World) => string | Promise<string>> = {
  operatorId: (w) => w.a.operatorId,
  accountId: (w) => w.a.procurementAccountId,
  roleId: (w) => w.a.roleId,
  productId: (w) => w.a.listedProductId,
  ticketId: async () => ((await request(suite.http).post(`${api(OTHER_PROVINCE)}/qr-logins`).expect(201)).body as { ticketId: string }).ticketId,
};

async function urlFor(path: string, province: string, w: World): Promise<string> {
  const parts: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment.startsWith(':')) parts.push(segment);
    else if (segment === ':province') parts.push(province);
    else {
      const value = PARAMS[segment.slice(1)];
      if (!value) throw new Error(`no sample value for ${segment} in ${path}: add one to PARAMS`);
      parts.push(await value(w));
    }
  }
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// Sessions

function cookieOf(res: request.Response, name: string): string {
  const raw = res.headers['set-cookie'] as unknown;
  for (const cookie of Array.isArray(raw) ? raw : []) {
    if (typeof cookie === 'string' && cookie.startsWith(`${name}=`)) return cookie.slice(name.length + 1).split(';')[0] ?? '';
  }
  throw new Error(`the answer set no ${name} cookie`);
}

interface Opened {
  agent: request.Agent;
  sessionId: string;
}

/** A hall session; an operator asked to choose (AH-3) chooses `unitId` when given. */
async function hallSession(province: string, account: string, password: string, unitId?: string): Promise<Opened & { mustChooseUnit: boolean }> {
  const agent = request.agent(suite.http);
  const res = await login(agent, suite.http, province, account, password);
  expect(res.status).toBe(201);
  const { mustChooseUnit } = (res.body as { actor: { mustChooseUnit: boolean } }).actor;
  if (mustChooseUnit && unitId) await agent.put(`${api(province)}/session/unit`).send({ unitId }).expect(200);
  return { agent, sessionId: cookieOf(res, sessionCookieName('hall', province)), mustChooseUnit };
}

/** 招采企业服务: a ticket from the hall session, exchanged on a fresh agent. */
async function procurementSession(hall: request.Agent, province: string): Promise<Opened & { accountId: string }> {
  const { ticket } = (await hall.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const agent = request.agent(suite.http);
  const res = await agent.post(`${api(province)}/procurement/sessions`).send({ ticket }).expect(201);
  return { agent, sessionId: cookieOf(res, sessionCookieName('procurement', province)), accountId: (res.body as { actor: { accountId: string } }).actor.accountId };
}

const agentCaller =
  (agent: request.Agent): Caller =>
  (method, url) =>
    agent[method](url);

/** GET …/session or …/procurement/session: the caller's own session. */
function ownSession(call: Caller, province: string, realm: Realm): request.Test {
  return call('get', realm === 'hall' ? `${api(province)}/session` : `${api(province)}/procurement/session`);
}

/** Who a session answer says the caller is: a session that ended, or lost its unit, no longer matches. */
function identityIn(res: request.Response): string {
  if (res.status !== 200) return `no session (${res.status} ${codeOf(res)})`;
  const me = res.body as { kind: string; account: string; accountId?: string; unit?: { id: string } };
  return `${me.kind} ${me.account}${me.accountId ? ` (${me.accountId})` : ''} of unit ${me.unit?.id ?? '(none chosen)'}`;
}

/** An actor with a real session: the one opened in set-up, or a fresh one when the route ends it. */
async function sessionActor(name: string, province: string, realm: Realm, current: request.Agent, open: () => Promise<request.Agent>): Promise<Actor> {
  const identity = identityIn(await ownSession(agentCaller(current), province, realm));
  expect(identity).not.toMatch(/^no session/);
  let agent = current;
  return {
    name,
    province,
    unauthenticated: false,
    own: { realm, identity },
    caller: async (fresh) => agentCaller(fresh ? await open() : agent),
    reopen: async () => {
      agent = await open();
    },
  };
}

/** A caller presenting exactly these cookies (or none), as a browser or a forger would. */
function cookieActor(name: string, province: string, cookies: Record<string, string>): Actor {
  const header = Object.entries(cookies)
    .map(([key, value]) => `${key}=${value}`)
    .join('; ');
  const caller: Caller = (method, url) => {
    const test = request(suite.http)[method](url);
    return header ? test.set('Cookie', header) : test;
  };
  return { name, province, unauthenticated: true, caller: () => Promise.resolve(caller), reopen: () => Promise.resolve() };
}

const A_UNIT_PASSWORD = 'Jia#Danwei2025';
const A_OPERATOR_PASSWORD = 'Jia#Jingban2025';
let institutionSeq = 0;
const institutionCode = (province: string) => `H${province === 'anhui' ? '34' : '22'}${String(process.pid % 10000).padStart(4, '0')}${String((institutionSeq += 1)).padStart(5, '0')}`;

interface Home {
  province: string;
  roleType: string;
  /** A is a main hospital with a same-code branch and made it a sub-account (AH-6). */
  branch: boolean;
  /** A gave its operator 招采授权 (JL-9). */
  authorise: boolean;
}

const HOMES: Home[] = [
  { province: 'anhui', roleType: 'medical-institution', branch: true, authorise: false },
  { province: 'jilin', roleType: 'manufacturer', branch: false, authorise: true },
];

async function buildWorld(home: Home): Promise<World> {
  const P = home.province;
  const institutions: RegistryInstitution[] = home.branch
    ? [
        { code: institutionCode(P), name: '欧阳甲总院', kind: 'main' },
        { code: institutionCode(P), name: '欧阳甲总院东区分院', kind: 'branch' },
      ]
    : [];
  const aUnit = await registeredUnit(suite, P, {
    roleTypes: [home.roleType],
    institutions,
    overrides: { unit: { unitPassword: A_UNIT_PASSWORD }, operator: { name: '欧阳甲', password: A_OPERATOR_PASSWORD, confirmPassword: A_OPERATOR_PASSWORD } },
  });
  const aHall = await hallSession(P, aUnit.account, aUnit.password);
  await aHall.agent.post(`${api(P)}/hall/certifications`).send({ roleType: home.roleType }).expect(201);
  const [aRow] = (await aHall.agent.get(`${api(P)}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
  const operatorId = aRow?.operatorId ?? '';
  if (home.authorise) await aHall.agent.put(`${api(P)}/hall/operators/${operatorId}/procurement-authorisation`).expect(200);
  const aOperator = await hallSession(P, aUnit.mobile, aUnit.operatorPassword, aUnit.unitId);
  const aTps = await procurementSession(aHall.agent, P);
  const branch = institutions.find((i) => i.kind === 'branch');
  let subAccount: Victim['subAccount'];
  if (branch) {
    const body = { institutionCode: branch.code, loginName: `jiabranch${process.pid}`, password: 'Fenyuan#2025', confirmPassword: 'Fenyuan#2025', contactName: '欧阳乙', contactPhone: freshMobile() };
    const made = (await aTps.agent.post(`${api(P)}/procurement/sub-accounts`).send(body).expect(201)).body as { accountId: string };
    subAccount = { accountId: made.accountId, loginName: body.loginName, contactPhone: body.contactPhone };
  }
  const aRole = (await aTps.agent.post(`${api(P)}/procurement/roles`).send({ name: '甲单位对码员', remark: '甲', permissions: {} }).expect(201)).body as { roleId: string };
  const [aListed] = await suite.testApp.app.get(ProductsService).seedDemo(P as ProvinceId, aUnit.unitId);
  const a: Victim = {
    province: P,
    roleType: home.roleType,
    unitId: aUnit.unitId,
    uscc: aUnit.uscc,
    account: aUnit.account,
    password: aUnit.password,
    unitName: aUnit.unit.unitName ?? '',
    operatorId,
    mobile: aUnit.mobile,
    operatorName: aUnit.operator.name ?? '',
    idNumber: aUnit.operator.idNumber ?? '',
    operatorPassword: aUnit.operatorPassword,
    procurementAccountId: aTps.accountId,
    roleId: aRole.roleId,
    listedProductId: aListed ?? '',
    institutions,
    branch,
    subAccount,
    hall: aHall.agent,
    operator: aOperator.agent,
    tps: aTps.agent,
  };

  // B: same province, certified, in procurement; its operator as it logs in.
  const bUnit = await registeredUnit(suite, P, { roleTypes: [home.roleType] });
  const bHall = await hallSession(P, bUnit.account, bUnit.password);
  await bHall.agent.post(`${api(P)}/hall/certifications`).send({ roleType: home.roleType }).expect(201);
  const bTps = await procurementSession(bHall.agent, P);
  const bUnchosen = await hallSession(P, bUnit.mobile, bUnit.operatorPassword);
  const bOperator = await hallSession(P, bUnit.mobile, bUnit.operatorPassword, bUnit.unitId);

  // C: another province.
  const Q = OTHER_PROVINCE;
  const cUnit = await registeredUnit(suite, Q);
  const cHall = await hallSession(Q, cUnit.account, cUnit.password);
  await cHall.agent.post(`${api(Q)}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const cTps = await procurementSession(cHall.agent, Q);

  const hallP = sessionCookieName('hall', P);
  const tpsP = sessionCookieName('procurement', P);
  const hallQ = sessionCookieName('hall', Q);
  const tpsQ = sessionCookieName('procurement', Q);
  const actors: Actor[] = [
    await sessionActor(`unit B's account (${P})`, P, 'hall', bHall.agent, async () => (await hallSession(P, bUnit.account, bUnit.password)).agent),
    await sessionActor(`unit B's operator (${P})`, P, 'hall', bOperator.agent, async () => (await hallSession(P, bUnit.mobile, bUnit.operatorPassword, bUnit.unitId)).agent),
    ...(bUnchosen.mustChooseUnit ? [await sessionActor(`unit B's operator before choosing a unit (${P}, AH-3)`, P, 'hall', bUnchosen.agent, async () => (await hallSession(P, bUnit.mobile, bUnit.operatorPassword)).agent)] : []),
    await sessionActor(`unit B's procurement account (${P})`, P, 'procurement', bTps.agent, async () => (await procurementSession(bHall.agent, P)).agent),
    await sessionActor(`unit C's account on ${Q}'s own paths`, Q, 'hall', cHall.agent, async () => (await hallSession(Q, cUnit.account, cUnit.password)).agent),
    await sessionActor(`unit C's procurement account on ${Q}'s own paths`, Q, 'procurement', cTps.agent, async () => (await procurementSession(cHall.agent, Q)).agent),
    cookieActor(`unit C's cookies (${Q}) on ${P}'s paths`, P, { [hallQ]: cHall.sessionId, [tpsQ]: cTps.sessionId }),
    cookieActor(`unit C's session ids under ${P}'s cookie names`, P, { [hallP]: cHall.sessionId, [tpsP]: cTps.sessionId }),
    cookieActor(`unit B's session ids under ${Q}'s cookie names, on ${Q}'s paths`, Q, { [hallQ]: bHall.sessionId, [tpsQ]: bTps.sessionId }),
    cookieActor(`unit B's hall and procurement session ids swapped (${P})`, P, { [hallP]: bTps.sessionId, [tpsP]: bHall.sessionId }),
    cookieActor(`nobody (${P})`, P, {}),
  ];

  const before = await snapshot(a);
  return {
    a,
    b: { unitId: bUnit.unitId },
    actors,
    before,
    latest: before,
    bHall: bHall.agent,
    bTps: bTps.agent,
    cHall: cHall.agent,
  };
}

interface Snapshot {
  operators: unknown;
  certified: unknown;
  subAccounts: unknown;
  sessions: string[];
}

/** What of A the matrix must leave as it found it, after every route: its operators (bindings, 招采授权), certification, sub-accounts, and its three sessions. */
async function snapshot(a: Victim): Promise<Snapshot> {
  const P = a.province;
  const operators: unknown = (await a.hall.get(`${api(P)}/hall/operators`)).body;
  const certified: unknown = ((await a.hall.get(`${api(P)}/hall`)).body as { certifiedRoleTypes?: unknown }).certifiedRoleTypes;
  const subAccounts: unknown = a.branch ? (await a.tps.get(`${api(P)}/procurement/sub-accounts`)).body : undefined;
  const sessions = [
    identityIn(await ownSession(agentCaller(a.hall), P, 'hall')),
    identityIn(await ownSession(agentCaller(a.operator), P, 'hall')),
    identityIn(await ownSession(agentCaller(a.tps), P, 'procurement')),
  ];
  return { operators, certified, subAccounts, sessions };
}

// ---------------------------------------------------------------------------------------------
// The verdict on one answer

function codeOf(res: request.Response): string {
  const code = (res.body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

/** 401/403/404, or a province that does not offer the action to anyone (checked before any target). */
function refused(res: request.Response): boolean {
  return [401, 403, 404].includes(res.status) || (res.status === 400 && codeOf(res).endsWith('_NOT_OFFERED'));
}

/** A's identifiers in the answer (text and headers) that the request did not carry itself. */
function leaks(res: request.Response, sent: string, a: Victim): string[] {
  const answer = `${res.text}\n${JSON.stringify(res.headers)}`;
  return identifiersOf(a)
    .filter(([, value]) => !sent.includes(value) && answer.includes(value))
    .map(([label, value]) => `${label} ${value}`);
}

function verdict(res: request.Response, sent: string, route: RouteCase, actor: Actor, a: Victim): string | undefined {
  const leaked = leaks(res, sent, a);
  const answer = `${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`;
  if (leaked.length > 0) return `${answer} carries A's ${leaked.join(', ')}`;
  if (res.status >= 500) return `${answer}: a server error`;
  if (actor.unauthenticated && res.status !== 401) return `${answer}, expected 401 (no session of this province and realm)`;
  if (route.scope === 'other' && !refused(res)) return `${answer}, expected 401/403/404 for A's ${sent}`;
  return undefined;
}

const CASES = Object.entries(ROUTES).map(([key, route]) => ({ key, route, title: `${key}${route.rules.length > 0 ? ` (${route.rules.join(', ')})` : ''}` }));

// ---------------------------------------------------------------------------------------------

describe('hall isolation', () => {
  it('the table names every hall, session and procurement route of the running app, and no other', () => {
    const found = discoveredRoutes();
    const entrances = found.filter((r) => PUBLIC_ENTRANCES.includes(r.key));
    // In whatever order the module lists its controllers.
    expect(entrances.map((r) => [r.key, r.isPublic]).sort()).toEqual(PUBLIC_ENTRANCES.map((key) => [key, true]).sort());
    const covered = found.filter((r) => !PUBLIC_ENTRANCES.includes(r.key)).map((r) => r.key);
    expect([...new Set(covered)].sort()).toEqual(Object.keys(ROUTES).sort());
    expect(covered.length).toBe(Object.keys(ROUTES).length);
  });

  describe.each(HOMES)('units A and B of $province, unit C of hunan', (home) => {
    let world: World;
    beforeAll(async () => {
      world = await buildWorld(home);
    });

    it('the probe is live: A’s own sessions get A’s identifiers back from the routes that answer about the caller', async () => {
      const { a } = world;
      const P = a.province;
      const seen = [
        (await a.hall.get(`${api(P)}/hall`).expect(200)).text,
        (await a.hall.get(`${api(P)}/hall/operators`).expect(200)).text,
        (await a.hall.get(`${api(P)}/hall/unit`).expect(200)).text,
        (await a.hall.get(`${api(P)}/session`).expect(200)).text,
        (await a.operator.get(`${api(P)}/session`).expect(200)).text,
        (await a.tps.get(`${api(P)}/procurement/session`).expect(200)).text,
        a.branch ? (await a.tps.get(`${api(P)}/procurement/sub-accounts`).expect(200)).text : '',
        (await a.tps.get(`${api(P)}/procurement/roles`).expect(200)).text,
      ].join('\n');
      // Passwords and the ID number are never shown, the main hospital's code is nowhere in the hall.
      const expected = identifiersOf(a).filter(([label]) => !label.includes('password') && label !== 'operator ID number' && !label.includes('(main)'));
      expect(expected.filter(([, value]) => !seen.includes(value))).toEqual([]);
    });

    it.each(CASES)('$title: every session not of A is refused or answers about itself, never with A’s data', async ({ key, route }) => {
      const [method = '', path = ''] = key.split(' ');
      const verb = method.toLowerCase() as Method;
      expect(['get', 'post', 'put', 'delete']).toContain(verb);
      const problems: string[] = [];
      // 1 SMS per 60 s per phone: the clock moves before the first send and after each one that
      // went out, no further (codes live 5 minutes: the next route still meets B's live code).
      let smsDue = route.sendsSms === true;
      for (const actor of world.actors) {
        if (smsDue) clock.advanceSeconds(61);
        const url = await urlFor(path, actor.province, world);
        const body = route.body ? await route.body(world, actor.province) : undefined;
        const call = await actor.caller(route.endsSession === true);
        const pending = call(verb, url);
        const res = await (body === undefined ? pending : pending.send(body as object));
        smsDue = route.sendsSms === true && res.status === 202;
        const sent = `${url} ${JSON.stringify(body ?? null)}`;
        const problem = verdict(res, sent, route, actor, world.a);
        if (problem) problems.push(`${actor.name}: ${problem}`);
        // The caller is still itself (a session that died or moved would make the rest vacuous),
        // and its own session says nothing of A.
        if (actor.own && !route.endsSession) {
          const mine = await ownSession(call, actor.province, actor.own.realm);
          const now = identityIn(mine);
          if (now !== actor.own.identity) {
            problems.push(`${actor.name}: after the call its session says ${now}, not ${actor.own.identity}`);
            await actor.reopen();
          }
          const leaked = leaks(mine, '', world.a);
          if (leaked.length > 0) problems.push(`${actor.name}: after the call its own session carries A's ${leaked.join(', ')}`);
        }
      }
      // Whatever the answers said, nothing of A moved.
      const { latest } = world;
      world.latest = await snapshot(world.a);
      expect({ problems, a: world.latest }).toEqual({ problems: [], a: latest });
    });

    it('N-5: unit B’s procurement session answers about B only; A’s branch is not B’s to make a sub-account for (AH-6)', async () => {
      const P = world.a.province;
      const me = await world.bTps.get(`${api(P)}/procurement/session`).expect(200);
      expect((me.body as { unit?: { id: string } }).unit?.id).toBe(world.b.unitId);
      expect(leaks(me, '', world.a)).toEqual([]);
      const subAccounts = await world.bTps.get(`${api(P)}/procurement/sub-accounts`);
      expect(leaks(subAccounts, '', world.a)).toEqual([]);
      if (world.a.branch) {
        expect(subAccounts.status).toBe(200);
        expect(subAccounts.body).toEqual({ branches: [], accounts: [] });
        const taken = await world.bTps.post(`${api(P)}/procurement/sub-accounts`).send({ institutionCode: world.a.branch.code, loginName: `intruderb${process.pid}`, password: INTRUDER_PASSWORD, confirmPassword: INTRUDER_PASSWORD, contactName: '冒名者', contactPhone: freshMobile() });
        expect(taken.status).toBe(400);
        expect(taken.body).toMatchObject({ code: 'SUB_ACCOUNT_INVALID', fields: { institutionCode: expect.any(String) as unknown } });
      } else {
        expect(refused(subAccounts)).toBe(true);
      }
    });

    it('N-1: a ticket issued to A is refused in another province, and still opens A’s own session at home', async () => {
      const P = world.a.province;
      const { ticket } = (await world.a.hall.post(`${api(P)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
      const abroad = await request(suite.http).post(`${api(OTHER_PROVINCE)}/procurement/sessions`).send({ ticket }).expect(401);
      expect(abroad.body).toMatchObject({ code: 'PROCUREMENT_TICKET_INVALID' });
      expect(leaks(abroad, ticket, world.a)).toEqual([]);
      const home = await request(suite.http).post(`${api(P)}/procurement/sessions`).send({ ticket }).expect(201);
      expect((home.body as { actor: { unit: { id: string } } }).actor.unit.id).toBe(world.a.unitId);
    });

    it('JL-9, HN-5, JL-7, AH-4: after the matrix nothing of A changed — operators, bindings, certification, sessions, passwords, sub-accounts', async () => {
      const { a } = world;
      const P = a.province;
      // Sessions of A and of its operator were not ended (a password reset would end them).
      expect(await snapshot(a)).toEqual(world.before);
      expect(world.before.sessions.filter((s) => s.startsWith('no session'))).toEqual([]);
      expect(((await a.operator.get(`${api(P)}/session`).expect(200)).body as { unit?: { id: string } }).unit?.id).toBe(a.unitId);
      // The same passwords work, and the operator still sees A at login.
      expect((await login(request.agent(suite.http), suite.http, P, a.account, a.password)).status).toBe(201);
      const operatorLogin = await login(request.agent(suite.http), suite.http, P, a.mobile, a.operatorPassword);
      expect(operatorLogin.status).toBe(201);
      const actor = (operatorLogin.body as { actor: { unit?: { id: string }; units?: Array<{ id: string }> } }).actor;
      expect([...(actor.units ?? []), ...(actor.unit ? [actor.unit] : [])].map((u) => u.id)).toContain(a.unitId);
      // A's operator was bound to nobody else, here or in Hunan.
      const bOperators = (await world.bHall.get(`${api(P)}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
      const cOperators = (await world.cHall.get(`${api(OTHER_PROVINCE)}/hall/operators`).expect(200)).body as Array<{ operatorId: string }>;
      expect([...bOperators, ...cOperators].map((o) => o.operatorId)).not.toContain(a.operatorId);
    });
  });
});
