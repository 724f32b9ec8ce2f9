import { readFileSync } from 'node:fs';
import { compileProfiles, type ProfileFile } from '#src/profiles/profile-compiler.js';
import { formatIssue } from '#src/profiles/profile-issue.js';

const national: ProfileFile = { path: 'provinces/_national.yaml', text: readFileSync('provinces/_national.yaml', 'utf8') };

/** The smallest valid overlay; tests change one line of it and expect the exact line and column. */
const MINIMAL = `id: testland
code: "990000"
name: 测试省
shortName: 测试
authority: 测试省医疗保障局
documents:
  - id: test-manual
    title: 测试手册
    publisher: 测试局
    rulePrefix: TS
branding:
  portalTitle: 测试省医疗保障局网上服务大厅
urls:
  hall:
    title: 测试大厅
    url: https://hall.example.cn/
sms:
  signName: 测试医保
`;

function province(text: string, path = 'provinces/testland.yaml'): ProfileFile {
  return { path, text };
}

function lines(text: string, path = 'provinces/testland.yaml'): string[] {
  return compileProfiles(national, [province(text, path)]).issues.map(formatIssue);
}

describe('compileProfiles', () => {
  it('resolves a minimal overlay on the national base', () => {
    const { profiles, issues } = compileProfiles(national, [province(MINIMAL)]);
    expect(issues).toEqual([]);
    expect(profiles[0]?.profile).toMatchObject({ id: 'testland', login: { entryLabel: '单位登录' }, sms: { signName: '测试医保', codeTtlSeconds: 300 } });
    expect(profiles[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports an unknown key at the key itself', () => {
    expect(lines(MINIMAL.replace('shortName: 测试\n', 'shortName: 测试\nfavouriteColour: red\n'))).toEqual(['provinces/testland.yaml:5:1  /favouriteColour  未知的键 "favouriteColour"']);
  });

  it('reports an unknown key nested in a national map at the province line that adds it', () => {
    expect(lines(MINIMAL + 'login:\n  entrylabel: 登录\n')).toEqual(['provinces/testland.yaml:20:3  /login/entrylabel  未知的键 "entrylabel"']);
  });

  it('reports a YAML syntax error with its line and column', () => {
    expect(lines(MINIMAL.replace('name: 测试省', 'name: 测试: 省'))).toEqual(['provinces/testland.yaml:3:7  /  块结构不能作为隐式键（Nested mappings are not allowed in compact mappings）']);
    expect(lines(MINIMAL.replace('name: 测试省', ' name: 测试省'))).toEqual(['provinces/testland.yaml:3:1  /  缩进错误（All mapping items must start at the same column）']);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(lines(MINIMAL + 'name: 又一个名字\n')).toEqual([expect.stringMatching(/^provinces\/testland\.yaml:19:1 {2}\/ {2}重复的键/)]);
  });

  it('reports a value of the wrong type at the value, with the Chinese title', () => {
    expect(lines(MINIMAL + 'procurement:\n  handoffTicketSeconds: sixty\n')).toEqual(['provinces/testland.yaml:20:25  /procurement/handoffTicketSeconds  「跳转票据有效期（秒）」类型错误：应为整数']);
  });

  it('reports a value outside its choices', () => {
    expect(lines(MINIMAL + 'roleTypes:\n  - id: distributor\n    registersAt: mall\n')).toEqual(['provinces/testland.yaml:21:18  /roleTypes/1/registersAt  「注册位置」取值无效：应为 hall | procurement 之一']);
  });

  it('reports a CA login method whose vendor is not defined (cross-field check, HN-1/HN-8)', () => {
    const text = MINIMAL + 'login:\n  methods:\n    - id: ca\n      enabled: true\n      caVendor: nowhere-ca\n';
    expect(lines(text)).toEqual(['provinces/testland.yaml:23:17  /login/methods/2/caVendor  未定义的 CA 厂商 "nowhere-ca"（caVendors 中没有）']);
  });

  it('reports an enabled CA login method that names no vendor', () => {
    const text = MINIMAL + 'login:\n  methods:\n    - id: ca\n      enabled: true\n';
    expect(lines(text)).toEqual(['provinces/testland.yaml:21:7  /login/methods/2  CA 登录方式必须用 caVendor 指明 CA 厂商']);
  });

  it('reports a registration whose fields cannot make the accounts: the operator mobile optional (N-5)', () => {
    const text = MINIMAL + 'registration:\n  operatorFields:\n    - id: mobile\n      required: false\n';
    expect(lines(text)).toEqual(['provinces/testland.yaml:22:17  /registration/operatorFields/5/required  字段 "mobile" 必须为必填项（生成账号需要它）']);
  });

  it('reports a role that refers to an unknown menu key (N-6)', () => {
    const text = MINIMAL + 'procurement:\n  defaultRoles:\n    - id: unit-admin\n      menus: [account-roles, no-such-menu]\n';
    expect(lines(text)).toEqual(['provinces/testland.yaml:22:30  /procurement/defaultRoles/0/menus/1  角色「单位账号」引用了未知的菜单 "no-such-menu"']);
  });

  it('reports a QQ group listed twice (AH-9)', () => {
    const group = (id: string) => `    - id: ${id}\n      name: 群${id}\n      number: "852121671"\n      category: drug\n      roleType: manufacturer\n`;
    const text = MINIMAL + 'support:\n  qqGroups:\n' + group('a') + group('b');
    expect(lines(text)).toEqual(['provinces/testland.yaml:28:15  /support/qqGroups/1/number  QQ 群号 852121671 重复（已列为「群a」）']);
  });

  it('reports two list items with the same id in one file instead of merging them silently', () => {
    const text = MINIMAL + 'faq:\n  - id: same\n    question: 一？\n    answer: 一。\n  - id: same\n    question: 二？\n    answer: 二。\n';
    expect(lines(text)).toEqual(['provinces/testland.yaml:23:9  /faq/1/id  列表中的标识 "same" 重复']);
  });

  it('reports a source rule id whose prefix has no document', () => {
    expect(lines(MINIMAL.replace('    url: https://hall.example.cn/\n', '    url: https://hall.example.cn/\n    source: [HN-1]\n'))).toEqual([
      'provinces/testland.yaml:17:14  /urls/hall/source/0  规则编号 HN-1 的前缀 HN 没有对应的来源文件（documents[].rulePrefix）',
    ]);
  });

  it('reports an id that does not match the file name', () => {
    expect(lines(MINIMAL, 'provinces/otherland.yaml')).toEqual(['provinces/otherland.yaml:1:5  /id  省份标识 "testland" 与文件名 "otherland" 不一致']);
  });

  it('refuses a province id that the site routes itself (it would be shadowed)', () => {
    const text = MINIMAL.replace(/testland/g, 'support');
    expect(lines(text, 'provinces/support.yaml')).toEqual([expect.stringMatching(/^provinces\/support\.yaml:1:5 {2}\/id {2}省份标识 "support" 与站点自身的路径冲突/)]);
  });

  it('reports a missing required key at the object that lacks it', () => {
    expect(lines(MINIMAL.replace('authority: 测试省医疗保障局\n', ''))).toEqual(['provinces/testland.yaml:1:1  /  缺少必填项 "authority"']);
  });

  it('lists every problem at once, sorted by position', () => {
    const text = MINIMAL.replace('shortName: 测试\n', 'shortName: 测试\nfavouriteColour: red\n') + 'procurement:\n  handoffTicketSeconds: sixty\nlogin:\n  methods:\n    - id: ca\n      enabled: true\n      caVendor: nowhere-ca\n';
    expect(lines(text).map((l) => l.split('  ')[0])).toEqual(['provinces/testland.yaml:5:1', 'provinces/testland.yaml:21:25', 'provinces/testland.yaml:26:17']);
  });

  it('attributes a national-file error to the national file, once, and fails every province', () => {
    const broken: ProfileFile = { path: national.path, text: national.text.replace('  handoffTicketSeconds: 60', '  handoffTicketSeconds: -1') };
    const line = broken.text.split('\n').findIndex((l) => l.includes('handoffTicketSeconds')) + 1;
    const result = compileProfiles(broken, [province(MINIMAL), province(MINIMAL.replace(/testland/g, 'otherland').replace('990000', '980000'), 'provinces/otherland.yaml')]);
    expect(result.profiles).toEqual([]);
    expect(result.issues.map(formatIssue)).toEqual([`provinces/_national.yaml:${line}:25  /procurement/handoffTicketSeconds  「跳转票据有效期（秒）」应 >= 5`]);
  });

  it('keeps the good provinces when only one is broken, and reports two provinces claiming one code', () => {
    const other = MINIMAL.replace(/testland/g, 'otherland');
    const result = compileProfiles(national, [province(MINIMAL), province(other, 'provinces/otherland.yaml'), province('id: [', 'provinces/broken.yaml')]);
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^provinces\/broken\.yaml:1:\d+ {2}\/ {2}/),
      'provinces/otherland.yaml:2:7  /code  行政区划代码 990000 已被 provinces/testland.yaml 使用',
    ]);
    expect(result.profiles.map((p) => p.profile.id)).toEqual(['testland']);
  });

  describe('SMS templates (issue 4: a missing template is a profile error, not a runtime crash)', () => {
    const templates = (shared: string[], byProvince: Record<string, string[]> = {}) => ({
      smsTemplates: { dir: 'templates', shared: new Set(shared), byProvince: new Map(Object.entries(byProvince).map(([id, names]) => [id, new Set(names)])) },
    });
    const withPurposes = `${MINIMAL}  purposes: [registration, login]\n`;

    it('reports a purpose without a template at its /sms/purposes/N entry', () => {
      const result = compileProfiles(national, [province(withPurposes)], templates(['registration', 'add-operator']));
      expect(result.profiles).toEqual([]);
      expect(result.issues.map(formatIssue)).toEqual([
        'provinces/testland.yaml:19:28  /sms/purposes/1  缺少短信模板 templates/sms/login.hbs（或本省的 templates/provinces/testland/sms/login.hbs）',
      ]);
    });

    it("accepts a province's own override in place of a shared template", () => {
      expect(compileProfiles(national, [province(withPurposes)], templates(['registration'], { testland: ['login'] })).issues).toEqual([]);
    });

    it('locates a purpose inherited from the national file in the national file', () => {
      const line = national.text.split('\n').findIndex((l) => l.includes('purposes: [registration')) + 1;
      const issues = compileProfiles(national, [province(MINIMAL)], templates(['registration', 'add-operator'])).issues.map(formatIssue);
      expect(issues).toEqual([expect.stringMatching(new RegExp(`^provinces/_national\\.yaml:${line}:\\d+ {2}/sms/purposes/2 {2}缺少短信模板 templates/sms/password-reset\\.hbs`))]);
    });

    it('does not check templates when the caller lists none', () => {
      expect(compileProfiles(national, [province(withPurposes)]).issues).toEqual([]);
    });
  });
});
