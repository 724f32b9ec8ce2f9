/**
 * Authorisation benchmark (issue 9, item 8), side by side in one process:
 *   A — `GET /api/v1/provinces/hunan/procurement/roles` over loopback HTTP with a procurement
 *       session: the ProcurementPermissionGuard reads the session, describes the account (is it
 *       still standing in the hall?), reads its role, takes the cached CASL ability and checks
 *       `account-roles:query`, then the list query runs with the ability's scope as SQL.
 *   B — the same route unguarded: a bench-only controller (never in the app outside this bench)
 *       at `/bench/provinces/hunan/procurement/roles` calls the same service with the same account
 *       and ability, fixed once — the same SQL and the same JSON, without the guard (and without
 *       the tenancy interceptor: the province is fixed too; that lookup is a map read).
 * Then the pure CASL numbers: `ability.can()` per second on a warm (built) ability, and abilities
 * built per second (what a cache miss costs). A and B alternate in batches at 1 and 4 in flight.
 */
import type { Server } from 'node:http';
// First: the app's own module graph loads in its own order (the bench module below imports rooms of it).
import { startTestApp, type TestAppHandle } from '#test/support/test-app.js';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import request from 'supertest';
import { buildProcurementAbility, subjectOf } from '#src/authz/procurement-ability.js';
import { Public } from '#src/authz/public.decorator.js';
import { abilityActor } from '#src/procurement/procurement-abilities.service.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import type { SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProcurementModule } from '#src/procurement/procurement.module.js';
import { ProcurementRolesService, type RoleView } from '#src/procurement/roles/procurement-roles.service.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { tenantOf, type Tenant } from '#src/tenancy/tenant.js';
import { login, register, registrationDraft, seedRegistryUnit } from '#test/support/hall-journey.js';
import { fmt, formatTable, type BenchReport } from './bench-kit.js';
import { send, stats, target as httpTarget, timedBatch, type Side, type Stats, type Target } from './http-bench.js';

const PROVINCE = 'hunan';
const ROLES = 10;
const LEVELS = [
  { concurrency: 1, warmup: 50, batch: 100, targetMs: 8_000, minOps: 1_000, maxOps: 6_000 },
  { concurrency: 4, warmup: 50, batch: 100, targetMs: 8_000, minOps: 1_000, maxOps: 8_000 },
] as const;
const CAN_CALLS = 1_000_000;
const BUILDS = 20_000;

/** The province and signed-in account B serves, fixed once from A's own answer. */
@Injectable()
class BenchFixture {
  tenant: Tenant | undefined;
  signed: SignedInProcurement | undefined;
}

@Controller('bench/provinces/:province/procurement')
class UnguardedRolesController {
  constructor(
    @Inject(ProcurementRolesService) private readonly roles: ProcurementRolesService,
    @Inject(BenchFixture) private readonly fixture: BenchFixture,
  ) {}

  @Public()
  @Get('roles')
  list(): Promise<RoleView[]> {
    const { tenant, signed } = this.fixture;
    if (!tenant || !signed) throw new Error('bench fixture not set');
    return this.roles.list(tenant, signed, '');
  }
}

@Module({ imports: [ProcurementModule], controllers: [UnguardedRolesController], providers: [BenchFixture] })
class UnguardedRolesModule {}

interface LevelResult {
  concurrency: number;
  guarded: Stats;
  unguarded: Stats;
  throughputRatio: number;
  guardShareOfMedian: number;
}

export async function run(): Promise<BenchReport> {
  const testApp = await startTestApp({}, { extraModules: [UnguardedRolesModule] });
  try {
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const http: Server = testApp.app.getHttpServer();
    const handle: TestAppHandle = { testApp, http };
    const to = httpTarget(http.address());
    const cookie = await enterProcurement(handle);
    const guardedPath = `/api/v1/provinces/${PROVINCE}/procurement/roles`;
    for (let i = 0; i < ROLES; i++) {
      const made = await send(to, 'POST', guardedPath, { name: `基准角色${String(i)}`, remark: '', permissions: { 'account-roles': ['query'] } }, { cookie });
      if (made.status !== 201) throw new Error(`role ${String(i)} answered ${String(made.status)}: ${made.body}`);
    }
    const actor = JSON.parse((await send(to, 'GET', `/api/v1/provinces/${PROVINCE}/procurement/session`, undefined, { cookie })).body) as ProcurementActor;
    const tenant = tenantOf(testApp.app.get(ProfileRegistry).require(PROVINCE));
    const ability = buildProcurementAbility(tenant.profile, abilityActor(tenant, actor), {});
    Object.assign(testApp.app.get(BenchFixture), { tenant, signed: { actor, ability } });

    const guarded = await checkedGet(to, guardedPath, cookie);
    const unguarded = await checkedGet(to, `/bench/provinces/${PROVINCE}/procurement/roles`, '');
    if (guarded !== unguarded) throw new Error('A and B do not answer the same JSON');

    const levels: LevelResult[] = [];
    for (const level of LEVELS) levels.push(await measure(level, to, guardedPath, cookie));
    to.agent.destroy();

    const scope = subjectOf('account-roles', { provinceId: PROVINCE, unitId: actor.unit?.id });
    const canStart = process.hrtime.bigint();
    let allowed = 0;
    for (let i = 0; i < CAN_CALLS; i++) if (ability.can(i % 2 === 0 ? 'query' : 'assign', scope)) allowed += 1;
    const canSeconds = Number(process.hrtime.bigint() - canStart) / 1e9;
    if (allowed !== CAN_CALLS) throw new Error('the main account was refused a button it holds');
    const buildStart = process.hrtime.bigint();
    for (let i = 0; i < BUILDS; i++) buildProcurementAbility(tenant.profile, { ...abilityActor(tenant, actor), isMainAccount: false }, { 'account-roles': ['query', 'add'], accounts: ['query'] });
    const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;

    const data = {
      node: process.version,
      date: new Date().toISOString(),
      province: PROVINCE,
      roles: ROLES,
      levels,
      casl: { canPerSecond: CAN_CALLS / canSeconds, canNs: (canSeconds * 1e9) / CAN_CALLS, buildsPerSecond: BUILDS / buildSeconds, buildUs: (buildSeconds * 1e6) / BUILDS },
    };
    return { name: 'authz', table: renderTable(data), data };
  } finally {
    await testApp.close();
  }
}

/** A certified Hunan manufacturer's main account, entered into procurement: its session cookie. */
async function enterProcurement(handle: TestAppHandle): Promise<string> {
  const entry = await seedRegistryUnit(handle, PROVINCE, { roleTypes: ['manufacturer'] });
  const draft = registrationDraft(entry.uscc);
  const registered = await register(handle.http, PROVINCE, draft);
  if (registered.status !== 201) throw new Error(`registration answered ${String(registered.status)}: ${registered.text}`);
  const hall = request.agent(handle.http);
  const signedIn = await login(hall, handle.http, PROVINCE, draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '');
  if (signedIn.status !== 201) throw new Error(`login answered ${String(signedIn.status)}: ${signedIn.text}`);
  await hall.post(`/api/v1/provinces/${PROVINCE}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const { ticket } = (await hall.post(`/api/v1/provinces/${PROVINCE}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
  const res = await request(handle.http).post(`/api/v1/provinces/${PROVINCE}/procurement/sessions`).send({ ticket }).expect(201);
  const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`pe_tps_${PROVINCE}=`));
  if (!setCookie) throw new Error('no procurement cookie');
  return setCookie.split(';')[0] ?? '';
}

async function checkedGet(to: Target, path: string, cookie: string): Promise<string> {
  const res = await send(to, 'GET', path, undefined, cookie ? { cookie } : {});
  if (res.status !== 200) throw new Error(`${path} answered ${String(res.status)}: ${res.body.slice(0, 300)}`);
  return res.body;
}

async function measure(level: (typeof LEVELS)[number], to: Target, guardedPath: string, cookie: string): Promise<LevelResult> {
  const a: Side = { samples: [], wallMs: 0 };
  const b: Side = { samples: [], wallMs: 0 };
  const opA = async () => void (await checkedGet(to, guardedPath, cookie));
  const opB = async () => void (await checkedGet(to, `/bench/provinces/${PROVINCE}/procurement/roles`, ''));
  for (let i = 0; i < level.warmup; i++) {
    await opA();
    await opB();
  }
  while (a.samples.length < level.maxOps && (a.samples.length < level.minOps || a.wallMs + b.wallMs < level.targetMs)) {
    await timedBatch(a, level.concurrency, level.batch, opA);
    await timedBatch(b, level.concurrency, level.batch, opB);
  }
  const guarded = stats(a);
  const unguarded = stats(b);
  return { concurrency: level.concurrency, guarded, unguarded, throughputRatio: guarded.perSecond / unguarded.perSecond, guardShareOfMedian: 1 - unguarded.p50Ms / guarded.p50Ms };
}

function renderTable(data: { levels: LevelResult[]; roles: number; casl: { canPerSecond: number; canNs: number; buildsPerSecond: number; buildUs: number } }): string {
  const rows = data.levels.flatMap((l) =>
    (
      [
        ['A guarded (session + account + role + CASL)', l.guarded],
        ['B same route, unguarded', l.unguarded],
      ] as const
    ).map(([label, s]) => [label, String(l.concurrency), String(s.ops), fmt(s.perSecond, 0), fmt(s.p50Ms, 2), fmt(s.p99Ms, 2)]),
  );
  return [
    `GET …/${PROVINCE}/procurement/roles (${String(data.roles)} roles, the main account) — A and B alternate in one process`,
    '',
    formatTable(['side', 'in flight', 'ops', 'req/s', 'p50 ms', 'p99 ms'], rows),
    '',
    ...data.levels.map((l) => `in flight ${String(l.concurrency)}: guarded ÷ unguarded req/s = ${fmt(l.throughputRatio, 2)}; the guard's share of the median = ${fmt(l.guardShareOfMedian * 100, 1)}%`),
    `CASL: ability.can() on a warm ability ${fmt(data.casl.canPerSecond / 1e6, 2)} M checks/s (${fmt(data.casl.canNs, 0)} ns each); building an ability (a cache miss) ${fmt(data.casl.buildsPerSecond, 0)}/s (${fmt(data.casl.buildUs, 1)} µs)`,
  ].join('\n');
}
