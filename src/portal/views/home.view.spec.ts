import { compileProfileDir } from '#src/profiles/profile-files.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import { messagesFor } from '#src/portal/i18n/messages.js';
import { homeView } from '#src/portal/views/home.view.js';
import { supportView } from '#src/portal/views/support.view.js';

const m = messagesFor('zh-CN');
let profiles: Map<string, ProvinceProfile>;

beforeAll(async () => {
  const { profiles: compiled } = await compileProfileDir('provinces');
  profiles = new Map(compiled.map((c) => [c.profile.id, c.profile]));
});

const profile = (id: string): ProvinceProfile => {
  const found = profiles.get(id);
  if (!found) throw new Error(id);
  return found;
};

describe('homeView', () => {
  it('HN-1/HN-10: Hunan offers 机构登录 with password, CA and QR, registration, and the distributors’ procurement registration', () => {
    const view = homeView(profile('hunan'), m);
    expect(view.entries.map((e) => e.id)).toEqual(['login', 'registration', 'procurement-registration']);
    expect(view.entries[0]).toMatchObject({ title: '机构登录', items: [{ text: '账号密码登录' }, { text: 'CA 登录' }, { text: '扫码登录' }] });
    expect(view.entries[1]?.items.map((i) => i.text)).toEqual(['生产(代理)企业', '医疗机构', '药店']);
    expect(view.entries[2]).toMatchObject({ title: '配送(经营)企业注册（招采子系统）', link: { href: 'https://tps.ybj.hunan.gov.cn' } });
    expect(view.entries[2]?.sources.map((s) => s.id)).toContain('HN-10');
  });

  it('HN-6: only Hunan links the registration video and guide; N-2: every province links both national sites', () => {
    for (const id of profiles.keys()) {
      const view = homeView(profile(id), m);
      expect(view.help.map((l) => l.label)).toEqual(id === 'hunan' ? ['注册操作视频讲解', '注册步骤文档下载'] : []);
      expect(view.national.map((l) => l.href)).toEqual(['https://fuwu.nhsa.gov.cn', 'https://code.nhsa.gov.cn']);
    }
  });

  it('AH-6/AH-7: Anhui adds the procurement subsystem’s own login for branch hospitals and special institutions', () => {
    const entry = homeView(profile('anhui'), m).entries.find((e) => e.id === 'procurement-login');
    expect(entry?.link?.href).toBe('http://tps.ahyycg.cn:8666/tps-local/login');
    expect(entry?.items.map((i) => i.text)).toEqual([m['home.localLogin.branch'], '部队医疗机构', '荣军医疗机构', '监狱相关医疗机构']);
  });

  it('XZ-2: Tibet registers 生产/代理企业, 配送企业, 医院 in the hall and has no pharmacy', () => {
    expect(homeView(profile('xizang'), m).entries[1]?.items.map((i) => i.text)).toEqual(['生产/代理企业', '配送企业', '医院']);
  });
});

describe('supportView', () => {
  it('AH-9: Anhui’s nine QQ groups fall under 药品, 医用耗材 and 检验试剂, each with its role', () => {
    const view = supportView(profile('anhui'), m);
    expect(view.qqSections.map((s) => [s.name, s.groups.map((g) => `${g.role}:${g.number}`)])).toEqual([
      ['药品', ['生产(代理)企业:852121671', '配送(经营)企业:678317412', '医疗机构:236085530']],
      ['医用耗材', ['生产(代理)企业:679328864', '配送(经营)企业:701271562', '医疗机构:554390627']],
      ['检验试剂', ['生产(代理)企业:454208819', '配送(经营)企业:493129937', '医疗机构:103275869']],
    ]);
  });

  it('HN-13/HN-14: Hunan lists the CA hotline and QQ, the driver download and the 24-working-hour binding', () => {
    const view = supportView(profile('hunan'), m);
    const ca = view.caVendors[0];
    expect(ca?.contacts.map((c) => `${c.kind} ${c.value}`)).toEqual(['客服热线 4006682666', '企业 QQ 4006682666']);
    expect(ca?.driver?.href).toBe('http://www.hunca.com.cn/findByArticleType.html?articleType=11');
    expect(ca?.hallBinding?.sla).toBe('提交后 24 小时（工作日）内生效。');
    expect(view.phones.map((p) => [p.number, p.contactName])).toEqual([
      ['4006682666', undefined],
      ['18874734553', '向老师'],
      ['18374983512', '赵老师'],
    ]);
  });

  it('says so when the manual publishes no support channel (Tibet)', () => {
    expect(supportView(profile('xizang'), m)).toMatchObject({ empty: true, qqSections: [], phones: [] });
  });
});
