/**
 * The national coding registry port (N-4) with its database adapter and demo rows, through the dev
 * listing a newcomer reads and the port the rest of the code injects.
 */
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { INSTITUTION_KINDS, NATIONAL_REGISTRY, type InstitutionKind, type NationalRegistry, type NationalRegistryImporter, type RegistryEntry } from '#src/national-registry/national-registry.port.js';
import { demoUscc, REGISTRY_ABSENT_DEMO_CODES, REGISTRY_DEMO_ENTRIES } from '#src/national-registry/registry-demo-data.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import { useTestApp } from '#test/support/test-app.js';

const suite = useTestApp();

const PROVINCES = ['xizang', 'neimenggu', 'jilin', 'hunan', 'anhui'] as const;

interface Listing {
  province: string;
  entries: RegistryEntry[];
  absentCodes: string[];
}

const registry = () => suite.testApp.app.get<symbol, NationalRegistry & NationalRegistryImporter>(NATIONAL_REGISTRY);
const listing = async (province: string): Promise<Listing> => (await request(suite.http).get(`/api/v1/dev/registry?province=${province}`).expect(200)).body as Listing;
const kindsOf = (entry: RegistryEntry | undefined): InstitutionKind[] => (entry?.institutions ?? []).map((i) => i.kind);

describe('GET /api/v1/dev/registry', () => {
  it.each(PROVINCES)('N-3: %s lists a unit for every role type its profile offers, every demo row with its note', async (id) => {
    const profile = (await request(suite.http).get(`/api/v1/provinces/${id}`).expect(200)).body as { code: string; roleTypes: Array<{ id: string; offered: boolean }> };
    const { province, entries, absentCodes } = await listing(id);
    expect(province).toBe(id);
    const covered = new Set(entries.flatMap((e) => e.roleTypes));
    const offered = profile.roleTypes.filter((r) => r.offered).map((r) => r.id);
    expect(offered.length).toBeGreaterThanOrEqual(3);
    expect(offered.filter((roleType) => !covered.has(roleType))).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(REGISTRY_DEMO_ENTRIES.filter((e) => e.provinceId === id).map((e) => expect.objectContaining({ ...e, note: expect.stringMatching(/\S/) as unknown }) as unknown)));
    expect(entries.map((e) => e.uscc)).toEqual(entries.map((e) => e.uscc).sort());
    for (const entry of entries) {
      expect(entry.provinceId).toBe(id);
      // Digits 3-8 are the registering authority's region: inside the province.
      expect(entry.uscc.slice(2, 4)).toBe(profile.code.slice(0, 2));
      for (const institution of entry.institutions) expect(institution.code).toMatch(new RegExp(`^H${profile.code.slice(0, 2)}\\d{9}$`));
    }
    expect(absentCodes).toEqual(REGISTRY_ABSENT_DEMO_CODES[id]);
  });

  it('finds the province by its GB/T 2260 code too', async () => {
    expect((await listing('220000')).province).toBe('jilin');
  });

  it('NM-5: one Inner Mongolia credit code covers several medical institutions (the operator picks one on first login)', async () => {
    const { entries } = await listing('neimenggu');
    const group = entries.find((e) => e.institutions.length >= 3);
    expect(group).toBeDefined();
    expect(group?.roleTypes).toEqual(['medical-institution']);
    expect(kindsOf(group)).toEqual(['general', 'general', 'general']);
    expect(group?.note).toContain('NM-5');
    // And a single-institution hospital to compare with: no choice to make.
    expect(entries.some((e) => e.institutions.length === 1)).toBe(true);
  });

  it('AH-6: an Anhui main hospital and its branch share one credit code; a branch with its own code is an entry of its own', async () => {
    const { entries } = await listing('anhui');
    const shared = entries.find((e) => kindsOf(e).includes('main'));
    expect(kindsOf(shared)).toEqual(['main', 'branch']);
    const own = entries.filter((e) => e.institutions.length === 1 && kindsOf(e)[0] === 'branch');
    expect(own).toHaveLength(1);
    expect(own[0]?.uscc).not.toBe(shared?.uscc);
    expect([shared?.note, own[0]?.note]).toEqual([expect.stringContaining('AH-6'), expect.stringContaining('AH-6')]);
  });

  it('AH-7: Anhui has a military, a veterans\' (荣军) and a prison medical institution', async () => {
    const { entries } = await listing('anhui');
    const special = entries.flatMap((e) => e.institutions.filter((i) => ['military', 'veterans', 'prison'].includes(i.kind)).map((i) => [i.kind, e.note]));
    expect(special.map(([kind]) => kind).sort()).toEqual(['military', 'prison', 'veterans']);
    expect(special.every(([, note]) => note?.includes('AH-7'))).toBe(true);
  });

  it('400 with a coded Chinese message when province is missing or empty', async () => {
    for (const url of ['/api/v1/dev/registry', '/api/v1/dev/registry?province=', '/api/v1/dev/registry?province=jilin&province=anhui']) {
      const res = await request(suite.http).get(url).expect(400);
      expect(res.body).toMatchObject({ code: 'REGISTRY_PROVINCE_REQUIRED', message: expect.stringContaining('province') as unknown, fields: { province: '请填写省份' } });
    }
  });

  it('404 PROVINCE_NOT_FOUND for a province that does not exist', async () => {
    const res = await request(suite.http).get('/api/v1/dev/registry?province=atlantis').expect(404);
    expect(res.body).toMatchObject({ code: 'PROVINCE_NOT_FOUND', message: expect.stringContaining('未找到省份“atlantis”') as unknown });
  });

  it('is in the OpenAPI document with a Chinese summary', async () => {
    const doc = (await request(suite.http).get('/api/docs-json').expect(200)).body as { paths: Record<string, { get?: { summary?: string } }> };
    expect(doc.paths['/api/v1/dev/registry']?.get?.summary).toMatch(/^国家编码库/);
  });
});

describe('NATIONAL_REGISTRY (database adapter, demo rows)', () => {
  it('N-4, JL-13, AH-5: each province\'s absent demo codes are valid credit codes the registry does not know', async () => {
    for (const id of PROVINCES) {
      const absent = REGISTRY_ABSENT_DEMO_CODES[id] ?? [];
      expect(absent).toHaveLength(2);
      for (const code of absent) {
        expect(isValidUscc(code)).toBe(true);
        await expect(registry().findByUscc(code)).resolves.toBeUndefined();
      }
    }
  });

  it('every demo credit code is a valid GB 32100-2015 code, used once, and found by findByUscc with its institutions', async () => {
    const codes = REGISTRY_DEMO_ENTRIES.map((e) => e.uscc);
    expect(codes.filter((code) => !isValidUscc(code))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set([...codes, ...Object.values(REGISTRY_ABSENT_DEMO_CODES).flat()]).size).toBe(codes.length + 10);
    const institutionCodes = REGISTRY_DEMO_ENTRIES.flatMap((e) => e.institutions.map((i) => i.code));
    expect(new Set(institutionCodes).size).toBe(institutionCodes.length);
    for (const entry of REGISTRY_DEMO_ENTRIES) await expect(registry().findByUscc(entry.uscc)).resolves.toEqual(entry);
    // As typed: lower case and surrounding spaces find the same entry.
    const first = REGISTRY_DEMO_ENTRIES[0];
    await expect(registry().findByUscc(` ${first?.uscc.toLowerCase() ?? ''} `)).resolves.toEqual(first);
  });

  it('the kind constraint of registry_institutions lists exactly the port\'s INSTITUTION_KINDS', async () => {
    const db = suite.testApp.app.get<unknown, DataSource>(getDataSourceToken());
    const rows = await db.query<Array<{ def: string }>>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'registry_institutions_kind_check'`);
    const definition = rows[0]?.def ?? '';
    for (const kind of INSTITUTION_KINDS) expect(definition).toContain(`'${kind}'`);
    expect(definition.match(/'[a-z]+'/g)).toHaveLength(INSTITUTION_KINDS.length);
  });
});

describe('importRows', () => {
  const HOSPITAL = demoUscc('12', '220100', 'DM227001');
  const GROUP = demoUscc('12', '220200', 'DM227002');
  const COMPANY = demoUscc('91', '430100', 'DM437003');

  it('round trip: new entries are found and listed; importing again replaces the institutions of the entries it names', async () => {
    const first = await registry().importRows(
      [
        { uscc: HOSPITAL, name: '长春市示例儿童医院', provinceId: 'jilin', roleTypes: ['medical-institution'], institutions: [{ code: 'H22010200071', name: '长春市示例儿童医院', kind: 'main' }, { code: 'H22010200072', name: '长春市示例儿童医院东院区', kind: 'branch' }], note: '导入测试' },
        { uscc: COMPANY, name: '湖南示例新药有限公司', provinceId: 'hunan', roleTypes: ['manufacturer', 'distributor'], institutions: [] },
      ],
      'import',
    );
    expect(first).toEqual({ entries: 2, institutions: 2 });
    await expect(registry().findByUscc(HOSPITAL)).resolves.toMatchObject({ name: '长春市示例儿童医院', note: '导入测试', institutions: [{ kind: 'main' }, { kind: 'branch' }] });
    await expect(registry().findByUscc(COMPANY)).resolves.toEqual({ uscc: COMPANY, name: '湖南示例新药有限公司', provinceId: 'hunan', roleTypes: ['manufacturer', 'distributor'], institutions: [] });
    expect((await listing('jilin')).entries.map((e) => e.uscc)).toContain(HOSPITAL);

    // The branch leaves the hospital (renamed) and joins a new group under another credit code.
    const second = await registry().importRows(
      [
        { uscc: HOSPITAL, name: '长春市示例儿童医院（更名）', provinceId: 'jilin', roleTypes: ['medical-institution'], institutions: [{ code: 'H22010200071', name: '长春市示例儿童医院', kind: 'general' }] },
        { uscc: GROUP, name: '吉林市示例医疗集团', provinceId: 'jilin', roleTypes: ['medical-institution'], institutions: [{ code: 'H22010200072', name: '吉林市示例医疗集团东院区', kind: 'general' }] },
      ],
      'import',
    );
    expect(second).toEqual({ entries: 2, institutions: 2 });
    const hospital = await registry().findByUscc(HOSPITAL);
    expect(hospital).toMatchObject({ name: '长春市示例儿童医院（更名）', institutions: [{ code: 'H22010200071', kind: 'general' }] });
    expect(hospital).not.toHaveProperty('note');
    await expect(registry().findByUscc(GROUP)).resolves.toMatchObject({ institutions: [{ code: 'H22010200072', name: '吉林市示例医疗集团东院区' }] });
    // Entries the import does not name stay as they were.
    await expect(registry().findByUscc(COMPANY)).resolves.toMatchObject({ name: '湖南示例新药有限公司' });
  });

  it('is all or nothing: a row the database refuses leaves the rows before it unwritten', async () => {
    const fresh = demoUscc('91', '340100', 'DM347004');
    const refused = registry().importRows(
      [
        { uscc: fresh, name: '安徽示例新药有限公司', provinceId: 'anhui', roleTypes: ['manufacturer'], institutions: [] },
        { uscc: GROUP, name: '吉林市示例医疗集团', provinceId: 'jilin', roleTypes: ['medical-institution'], institutions: [{ code: 'H22020200079', name: '吉林市示例医疗集团', kind: 'annex' as InstitutionKind }] },
      ],
      'import',
    );
    await expect(refused).rejects.toThrow();
    await expect(registry().findByUscc(fresh)).resolves.toBeUndefined();
    await expect(registry().findByUscc(GROUP)).resolves.toMatchObject({ institutions: [{ code: 'H22010200072' }] });
    // The adapter is still usable after the rolled-back transaction.
    expect((await registry().listByProvince('anhui' as ProvinceId)).length).toBeGreaterThan(5);
  });
});
