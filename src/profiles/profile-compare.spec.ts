import { compileProfileDir } from '#src/profiles/profile-files.js';
import { compareProfiles } from '#src/profiles/profile-compare.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

let all: CompiledProfile[];
const pick = (...ids: string[]) => ids.map((id) => all.find((c) => c.profile.id === id) as CompiledProfile);

beforeAll(async () => {
  all = (await compileProfileDir('provinces')).profiles;
});

describe('compareProfiles', () => {
  it('aligns rows across provinces and labels them in Chinese from the schema titles', () => {
    const { provinces, rows } = compareProfiles(pick('hunan', 'anhui'));
    expect(provinces).toEqual(['hunan', 'anhui']);
    const sign = rows.find((r) => r.path === 'sms.signName');
    expect(sign).toMatchObject({ section: '短信', label: '短信 › 短信签名', values: { hunan: '湖南医保', anhui: '安徽医保' }, same: false });
  });

  it('with onlyDiff keeps only the rows whose values differ', () => {
    const full = compareProfiles(pick('hunan', 'anhui')).rows;
    const diff = compareProfiles(pick('hunan', 'anhui'), { onlyDiff: true }).rows;
    expect(diff.length).toBeGreaterThan(0);
    expect(diff.length).toBeLessThan(full.length);
    expect(diff.every((r) => !r.same)).toBe(true);
    expect(full.filter((r) => !r.same).map((r) => r.path)).toEqual(diff.map((r) => r.path));
    expect(diff.map((r) => r.path)).not.toContain('session.idleMinutes');
  });

  it('says which values a province inherits from the national base and which it overrides', () => {
    const rows = compareProfiles(pick('hunan', 'xizang')).rows;
    const policy = rows.find((r) => r.path === 'registration.passwordPolicy.maxLength');
    expect(policy).toMatchObject({ values: { hunan: 20, xizang: 16 }, inherited: { hunan: true, xizang: false } });
  });

  it('carries the source rule ids of each value (XZ-4 password policy)', () => {
    const rows = compareProfiles(pick('hunan', 'xizang')).rows;
    expect(rows.find((r) => r.path === 'registration.passwordPolicy.requireSpecial')?.sources.xizang).toEqual(['XZ-4']);
  });

  it('aligns list items by id, showing null where a province lacks the item (AH-9 QQ groups)', () => {
    const rows = compareProfiles(pick('hunan', 'anhui')).rows;
    const row = rows.find((r) => r.path === 'support.qqGroups[reagent-institution].number');
    expect(row).toMatchObject({ label: '咨询与支持 › QQ 群 › 检验试剂医疗机构群 › 群号', values: { hunan: null, anhui: '103275869' }, same: false });
  });

  it('lists the manuals behind each province for the rule ids', () => {
    const { documents } = compareProfiles(pick('hunan'));
    expect(documents.hunan).toEqual(expect.arrayContaining([expect.objectContaining({ rulePrefix: 'HN', version: 'V2.0', date: '2022-11-14' })]));
  });

  it('keeps rows grouped by section in schema order', () => {
    const sections = compareProfiles(all).rows.map((r) => r.section);
    const order = [...new Set(sections)];
    const firstSeen = sections.map((s) => order.indexOf(s));
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
  });
});
