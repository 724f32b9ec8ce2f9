/**
 * The audit trail as province administrators read it (issue 8, item 8): filters by unit, actor,
 * kind and time, newest first with keyset paging, the same filter as CSV (BOM, RFC 4180 quoting,
 * formulas neutralised, streamed in batches), append-only, one province's rows only; and profile
 * reloads recorded for each province they touch.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditLog } from '#src/audit/audit-log.js';
import { ManualClock } from '#src/clock/clock.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { login, registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { createTestAdministrator, signedInAdmin, type TestAdministrator } from '#test/support/province-admin.js';
import { htmlText } from '#test/support/page-driver.js';
import { TEST_ADMIN_TOKEN, useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock(Date.parse('2025-11-30T00:00:00Z'));
let profilesDir: string;

// A private copy of the profiles: the reload test edits and breaks them while the app runs.
beforeAll(async () => {
  profilesDir = await mkdtemp(join(tmpdir(), 'admin-audit-'));
  await cp('provinces', profilesDir, { recursive: true });
});
afterAll(async () => {
  await rm(profilesDir, { recursive: true, force: true });
});
// Read when the app starts (its beforeAll runs after the one above).
const suite = useTestApp(
  {
    get profilesDir() {
      return profilesDir;
    },
  },
  { clock },
);

interface EventRow {
  id: string;
  at: string;
  kind: string;
  outcome: string;
  actorKind: string | null;
  actorId: string | null;
  account: string | null;
  unit: { id: string; name: string | null; uscc: string | null } | null;
  detail: Record<string, unknown>;
}

interface AuditPage {
  events: EventRow[];
  nextCursor: string | null;
}

let jilinAdmin: TestAdministrator;
let hunanAdmin: TestAdministrator;

beforeAll(async () => {
  jilinAdmin = await createTestAdministrator(suite, 'jilin');
  hunanAdmin = await createTestAdministrator(suite, 'hunan');
});

const record = (province: string, at: string, event: Parameters<AuditLog['record']>[2], requestId = 'req-test') => {
  clock.set(new Date(at));
  return suite.testApp.app.get(AuditLog).record(province as ProvinceId, { clientIp: '203.0.113.7', requestId }, event);
};

async function trail(agent: request.Agent, province: string, query: string): Promise<AuditPage> {
  return (await agent.get(`/api/v1/provinces/${province}/admin/audit-events${query}`).expect(200)).body as AuditPage;
}

/** RFC 4180 parsing, enough for the checks: quoted cells with "" and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  return rows;
}

describe('audit trail: filters and paging', () => {
  it('filters by unit (id or credit code), actor (account or id), kind prefix, outcome and time range; newest first', async () => {
    const unit = await registeredUnit(suite, 'jilin');
    const main = await signedIn(suite, 'jilin', unit.account, unit.password);
    await main.post('/api/v1/provinces/jilin/hall/certifications').send({ roleType: 'manufacturer' }).expect(201);
    expect((await login(request.agent(suite.http), suite.http, 'jilin', unit.mobile, 'Wrong#pass1')).status).toBe(401);
    await record('jilin', '2025-12-01T01:59:59.999Z', { kind: 'window.before', outcome: 'success' });
    await record('jilin', '2025-12-01T02:00:00.000Z', { kind: 'window.first', outcome: 'success' });
    await record('jilin', '2025-12-01T03:00:00.000Z', { kind: 'window.last', outcome: 'success' });
    await record('jilin', '2025-12-01T03:00:00.001Z', { kind: 'window.after', outcome: 'success' });
    // Signed in after the clock moved on: a session opened before would have idled out.
    const agent = await signedInAdmin(suite, jilinAdmin);

    const byId = await trail(agent, 'jilin', `?unit=${unit.unitId}`);
    expect(byId.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['certification.created', 'session.opened', 'registration.created']));
    expect(byId.events.every((e) => e.unit?.id === unit.unitId && e.unit.uscc === unit.uscc)).toBe(true);
    expect(await trail(agent, 'jilin', `?unit=${unit.uscc.toLowerCase()}`)).toEqual(byId);
    const ids = byId.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    // The unit account by name (events name it by id), the operator by mobile, shown masked.
    const byAccount = await trail(agent, 'jilin', `?actor=${unit.account.toUpperCase()}`);
    expect(byAccount.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['certification.created', 'session.opened']));
    expect(byAccount.events.every((e) => e.account === unit.account)).toBe(true);
    const byMobile = await trail(agent, 'jilin', `?actor=${unit.mobile}&kind=login.`);
    expect(byMobile.events.map((e) => [e.kind, e.account])).toEqual([['login.failed', `${unit.mobile.slice(0, 3)}****${unit.mobile.slice(-4)}`]]);
    expect(JSON.stringify(byMobile)).not.toContain(unit.mobile);
    const actorId = byAccount.events[0]?.actorId ?? '';
    expect((await trail(agent, 'jilin', `?actor=${actorId}&kind=certification.`)).events.map((e) => e.kind)).toEqual(['certification.created']);

    expect((await trail(agent, 'jilin', `?unit=${unit.uscc}&outcome=success&kind=certification`)).events).toHaveLength(1);
    expect((await trail(agent, 'jilin', `?unit=${unit.uscc}&kind=operator.`)).events).toEqual([]);
    const failures = await trail(agent, 'jilin', '?outcome=failure');
    expect(failures.events.length).toBeGreaterThan(0);
    expect(failures.events.every((e) => e.outcome === 'failure')).toBe(true);

    const window = await trail(agent, 'jilin', `?kind=window.&from=${encodeURIComponent('2025-12-01T10:00:00+08:00')}&to=${encodeURIComponent('2025-12-01T03:00:00Z')}`);
    expect(window.events.map((e) => e.kind)).toEqual(['window.last', 'window.first']);
  });

  it('pages newest first by cursor, stable while new rows arrive', async () => {
    for (let i = 0; i < 7; i += 1) await record('xizang', `2025-12-02T00:00:0${i}.000Z`, { kind: 'paging.row', outcome: 'success', detail: { i } });
    const agent = await signedInAdmin(suite, await createTestAdministrator(suite, 'xizang', { password: 'Xizang#2025' }));
    const first = await trail(agent, 'xizang', '?kind=paging.&limit=3');
    expect(first.events.map((e) => e.detail.i)).toEqual([6, 5, 4]);
    await record('xizang', '2025-12-02T00:00:09.000Z', { kind: 'paging.row', outcome: 'success', detail: { i: 9 } });
    const second = await trail(agent, 'xizang', `?kind=paging.&limit=3&cursor=${first.nextCursor ?? ''}`);
    expect(second.events.map((e) => e.detail.i)).toEqual([3, 2, 1]);
    const third = await trail(agent, 'xizang', `?kind=paging.&limit=3&cursor=${second.nextCursor ?? ''}`);
    expect(third).toMatchObject({ nextCursor: null });
    expect(third.events.map((e) => e.detail.i)).toEqual([0]);
  });

  it('refuses a filter it cannot read, by field (400, never 500)', async () => {
    const agent = await signedInAdmin(suite, jilinAdmin);
    const res = await agent.get('/api/v1/provinces/jilin/admin/audit-events?unit=nope&kind=A%20B&outcome=maybe&from=2025-12-01&to=2025-02-30T00:00:00Z&cursor=xyz&limit=0').expect(400);
    expect(res.body).toMatchObject({ code: 'ADMIN_FILTER_INVALID' });
    expect(Object.keys((res.body as { fields: object }).fields).sort()).toEqual(['cursor', 'from', 'kind', 'limit', 'outcome', 'to', 'unit']);
    expect((await agent.get('/api/v1/provinces/jilin/admin/audit-events?from=2025-12-02T00:00:00Z&to=2025-12-01T00:00:00Z').expect(400)).body).toMatchObject({ fields: { to: '结束时间不能早于开始时间' } });
  });
});

describe('audit trail: isolation and append-only', () => {
  it('a hunan administrator never sees jilin rows, even by passing a jilin unit id, credit code or actor id', async () => {
    const jilinUnit = await registeredUnit(suite, 'jilin');
    const agent = await signedInAdmin(suite, hunanAdmin);
    const jilinAgent = await signedInAdmin(suite, jilinAdmin);
    const jilinRows = await trail(jilinAgent, 'jilin', `?unit=${jilinUnit.unitId}`);
    expect(jilinRows.events.length).toBeGreaterThan(0);
    const all = await agent.get('/api/v1/provinces/hunan/admin/audit-events?limit=200').expect(200);
    expect(all.text).not.toContain(jilinUnit.uscc);
    expect(all.text).not.toContain(jilinUnit.unitId);
    for (const query of [`?unit=${jilinUnit.unitId}`, `?unit=${jilinUnit.uscc}`, `?actor=${jilinRows.events[0]?.actorId ?? ''}`, `?actor=${jilinUnit.account}`]) {
      expect((await trail(agent, 'hunan', query)).events).toEqual([]);
      const csv = await agent.get(`/api/v1/provinces/hunan/admin/audit-events.csv${query}`).expect(200);
      expect(parseCsv(csv.text.slice(1))).toHaveLength(1);
    }
  });

  it('nothing in the app changes the trail: no route updates or deletes it, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const agent = await signedInAdmin(suite, jilinAdmin);
    const [newest] = (await trail(agent, 'jilin', '?limit=1')).events;
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      await agent[method]('/api/v1/provinces/jilin/admin/audit-events').expect(404);
      await agent[method](`/api/v1/provinces/jilin/admin/audit-events/${newest?.id ?? '1'}`).expect(404);
    }
    const db = suite.testApp.app.get(DataSource);
    await expect(db.query(`UPDATE audit_events SET kind = 'rewritten' WHERE id = $1`, [newest?.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events WHERE id = $1`, [newest?.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    expect((await trail(agent, 'jilin', '?limit=1')).events[0]).toEqual(newest);
  });
});

describe('audit trail: CSV download', () => {
  it('UTF-8 with a BOM, the nine Chinese columns, RFC 4180 quoting, formulas neutralised, the filter respected, the export itself audited', async () => {
    await record('anhui', '2025-12-03T01:00:00.000Z', { kind: 'csv.formula', outcome: 'failure', account: '=HYPERLINK("http://evil.example","点我")', detail: { note: '+1, "quoted"\nnext line' } }, '@req');
    await record('anhui', '2025-12-03T01:00:01.000Z', { kind: 'csv.plain', outcome: 'success', actorKind: 'unit', account: '-2+3', detail: {} });
    await record('anhui', '2025-12-03T01:00:02.000Z', { kind: 'other.kind', outcome: 'success', account: 'not-in-the-csv' });
    const administrator = await createTestAdministrator(suite, 'anhui');
    const agent = await signedInAdmin(suite, administrator);
    const res = await agent.get('/api/v1/provinces/anhui/admin/audit-events.csv?kind=csv.').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-anhui-\d{12}\.csv"; filename\*=UTF-8''/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('时间,事件,结果,账号类型,账号,单位,客户端地址,请求号,详情');
    const rows = parseCsv(text);
    expect(rows.slice(1)).toEqual([
      ['2025-12-03 09:00:01', 'csv.plain', '成功', '单位账号', "'-2+3", '', '203.0.113.7', 'req-test', '{}'],
      ['2025-12-03 09:00:00', 'csv.formula', '失败', '', `'=HYPERLINK("http://evil.example","点我")`, '', '203.0.113.7', "'@req", '{"note":"+1, \\"quoted\\"\\nnext line"}'],
    ]);
    expect(text).not.toContain('not-in-the-csv');
    const exported = (await trail(agent, 'anhui', '?kind=admin.audit.exported')).events;
    expect(exported).toEqual([expect.objectContaining({ actorKind: 'administrator', actorId: administrator.id, account: administrator.account, detail: { filter: { kind: 'csv.' } } })]);
  });

  it('streams a large trail in batches, newest first, every row once', async () => {
    const db = suite.testApp.app.get(DataSource);
    // 1,234 rows: more than two batches of the export.
    await db.query(
      `INSERT INTO audit_events (province_id, at, kind, outcome, client_ip, request_id, detail)
       SELECT 'neimenggu', timestamptz '2025-12-04T00:00:00Z' + n * interval '1 second', 'bulk.row', 'success', '198.51.100.1', 'bulk-' || n, jsonb_build_object('n', n)
         FROM generate_series(1, 1234) AS n`,
    );
    const agent = await signedInAdmin(suite, await createTestAdministrator(suite, 'neimenggu'));
    const res = await agent.get('/api/v1/provinces/neimenggu/admin/audit-events.csv?kind=bulk.').expect(200);
    expect(res.headers['content-length']).toBeUndefined();
    const rows = parseCsv(res.text.slice(1)).slice(1);
    expect(rows).toHaveLength(1234);
    expect(rows.map((r) => r[7])).toEqual(Array.from({ length: 1234 }, (_, i) => `bulk-${1234 - i}`));
  });
});

describe('audit trail page', () => {
  it('filters in Beijing time, links the CSV of the same filter, pages to older rows; a bad filter shows the form again (400)', async () => {
    for (let i = 0; i < 55; i += 1) await record('hunan', `2025-12-05T02:${String(i).padStart(2, '0')}:00.000Z`, { kind: 'page.row', outcome: 'success', detail: { i } });
    const agent = await signedInAdmin(suite, hunanAdmin);
    const res = await agent.get('/hunan/admin/audit?kind=page.&from=2025-12-05T10:00&to=2025-12-05T10:54').set('Accept', 'text/html').expect(200);
    expect(res.text).toContain('value="2025-12-05T10:00"');
    expect(res.text).toContain('value="2025-12-05T10:54"');
    expect(res.text.match(/data-kind="page\.row"/g)).toHaveLength(50);
    expect(res.text).toContain('2025-12-05 10:54:00');
    const csvHref = htmlText(/href="([^"]*audit-events\.csv[^"]*)"/.exec(res.text)?.[1] ?? '');
    expect(csvHref).toBe(`/api/v1/provinces/hunan/admin/audit-events.csv?kind=page.&from=${encodeURIComponent('2025-12-05T10:00:00.000+08:00')}&to=${encodeURIComponent('2025-12-05T10:54:59.999+08:00')}`);
    expect(parseCsv((await agent.get(csvHref).expect(200)).text.slice(1))).toHaveLength(56);
    const older = htmlText(/href="([^"]+)" rel="next"/.exec(res.text)?.[1] ?? '');
    const next = await agent.get(older).set('Accept', 'text/html').expect(200);
    expect(next.text.match(/data-kind="page\.row"/g)).toHaveLength(5);
    const bad = await agent.get('/hunan/admin/audit?from=yesterday').set('Accept', 'text/html').expect(400);
    expect(bad.text).toContain('请按“年-月-日 时:分”填写北京时间');
    expect(bad.text).toContain('data-form="admin-audit-filter"');
  });
});

describe('profile reloads in the trail', () => {
  const reload = () => request(suite.http).post('/api/v1/admin/profiles/reload').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);

  it('records profile.reloaded for the province whose profile changed, and profile.reload-failed for one whose file is broken; each province sees its own', async () => {
    const jilinFile = join(profilesDir, 'jilin.yaml');
    const jilin = await readFile(jilinFile, 'utf8');
    await writeFile(jilinFile, jilin.replace('  logoText: 吉林医保\n', '  logoText: 吉林医保局\n'));
    expect((await reload().expect(200)).body).toMatchObject({ changed: ['jilin'] });
    const jilinAgent = await signedInAdmin(suite, jilinAdmin);
    const hunanAgent = await signedInAdmin(suite, hunanAdmin);
    expect((await trail(jilinAgent, 'jilin', '?kind=profile.')).events).toEqual([expect.objectContaining({ kind: 'profile.reloaded', outcome: 'success', actorKind: 'maintainer', detail: expect.objectContaining({ change: 'changed' }) as unknown })]);
    expect((await trail(hunanAgent, 'hunan', '?kind=profile.')).events).toEqual([]);

    const hunanFile = join(profilesDir, 'hunan.yaml');
    const hunan = await readFile(hunanFile, 'utf8');
    await writeFile(hunanFile, hunan.replace('shortName: 湖南\n', 'shortName: 湖南\nfavouriteColour: red\n'));
    try {
      await reload().expect(422);
    } finally {
      await writeFile(hunanFile, hunan);
    }
    const failed = (await trail(hunanAgent, 'hunan', '?kind=profile.')).events;
    expect(failed).toEqual([expect.objectContaining({ kind: 'profile.reload-failed', outcome: 'failure', detail: expect.objectContaining({ issueCount: 1, issues: [expect.stringContaining('favouriteColour') as unknown] }) as unknown })]);
    expect((await trail(jilinAgent, 'jilin', '?kind=profile.reload-failed')).events).toEqual([]);
  });
});
