import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { compileProfiles } from '#src/profiles/profile-compiler.js';
import { scaffoldProvince } from '#src/profiles/profile-scaffold.js';

const national = { path: 'provinces/_national.yaml', text: readFileSync('provinces/_national.yaml', 'utf8') };

describe('scaffoldProvince (province new)', () => {
  it('writes a file that validates at once and says what to fill in', () => {
    const { text, checklist } = scaffoldProvince({ id: 'guangdong', code: '440000', name: '广东省' });
    const { profiles, issues } = compileProfiles(national, [{ path: 'provinces/guangdong.yaml', text }]);
    expect(issues).toEqual([]);
    expect(profiles[0]?.profile).toMatchObject({ id: 'guangdong', code: '440000', name: '广东省', shortName: '广东', authority: '广东省医疗保障局', sms: { signName: '广东医保' } });
    expect(text.startsWith('# yaml-language-server: $schema=./profile.schema.json\n')).toBe(true);
    expect(checklist.join('\n')).toContain('urls.hall');
  });

  it('with --from copies the rules but not the identity or the other manual’s rule ids', () => {
    const { text, checklist } = scaffoldProvince({ id: 'hubei', code: '420000', name: '湖北省', fromText: readFileSync('provinces/hunan.yaml', 'utf8'), fromId: 'hunan' });
    const { profiles, issues } = compileProfiles(national, [{ path: 'provinces/hubei.yaml', text }]);
    expect(issues).toEqual([]);
    const data = parse(text) as Record<string, unknown>;
    expect(JSON.stringify(data)).not.toMatch(/HN-\d+/);
    expect(profiles[0]?.profile.login.methods.filter((m) => m.enabled).map((m) => m.id)).toEqual(['password', 'ca', 'qr']);
    expect(profiles[0]?.profile.documents.map((d) => d.rulePrefix)).toEqual(['N', 'HU']);
    expect(checklist.join('\n')).toContain('复制自 hunan');
  });
});
